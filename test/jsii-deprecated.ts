/**
 * Jest setup (package.json jest.setupFiles): aws-cdk-lib's deprecation warnings fail the suite
 * instead of printing "[WARNING] … is deprecated". No API deprecated in the installed aws-cdk-lib
 * may be used — in the lowest supported release (the main CI run) and in the newest (the
 * compatibility matrix's newest leg, scripts/compat.sh), where a newly deprecated call shows first.
 */
process.env.JSII_DEPRECATED = 'fail';
