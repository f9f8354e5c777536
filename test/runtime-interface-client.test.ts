import { RuntimeInterfaceClient } from '../src/runtime-interface-client';

describe('RuntimeInterfaceClient', () => {
  test.each([
    ['python', RuntimeInterfaceClient.python(), '/usr/local/bin/python'],
    ['nodejs', RuntimeInterfaceClient.nodejs(), '/usr/local/bin/node'],
    ['java', RuntimeInterfaceClient.java(), '/opt/java/openjdk/bin/java'],
    ['ruby', RuntimeInterfaceClient.ruby(), '/usr/local/bin/ruby'],
    ['dotnet', RuntimeInterfaceClient.dotnet({ assembly: 'Fn.dll' }), '/usr/share/dotnet/dotnet'],
    ['go', RuntimeInterfaceClient.go(), '/function/bootstrap'],
  ])('%s sets an absolute ENTRYPOINT', (language, ric, exe) => {
    expect(ric.language).toBe(language);
    expect(ric._recipe.entrypoint[0]).toBe(exe);
    for (const part of ric._recipe.entrypoint.filter(a => a.startsWith('/'))) {
      expect(part.startsWith('/')).toBe(true);
    }
  });

  test('pins the RIC version that is asked for', () => {
    expect(JSON.stringify(RuntimeInterfaceClient.python({ version: '3.0.2' })._recipe.install)).toMatch(/awslambdaric==3\.0\.2/);
    expect(JSON.stringify(RuntimeInterfaceClient.nodejs({ version: '3.2.1' })._recipe.install)).toMatch(/aws-lambda-ric@3\.2\.1/);
    expect(JSON.stringify(RuntimeInterfaceClient.java({ version: '2.8.0' })._recipe.install)).toMatch(/runtime-interface-client:2\.8\.0/);
    expect(JSON.stringify(RuntimeInterfaceClient.ruby({ version: '3.0.0' })._recipe.install)).toMatch(/aws_lambda_ric -v 3\.0\.0/);
  });

  test('java copies the RIC with its runtime dependencies (its jar holds none of them: e2e/ric-sizes.e2e.ts)', () => {
    const install = JSON.stringify(RuntimeInterfaceClient.java({ version: '2.8.0' })._recipe.install);
    expect(install).toMatch(/<artifactId>aws-lambda-java-runtime-interface-client<\/artifactId><version>2\.8\.0<\/version>/);
    expect(install).toMatch(/mvn -B -q -f \/tmp\/ric\/pom\.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=\/function\/lib/);
  });

  test('runs custom build setup commands first in the build stage', () => {
    const ric = RuntimeInterfaceClient.python({ buildSetupCommands: ['apk add build-base'], interpreter: '/usr/bin/python3' });
    expect(JSON.stringify(ric._recipe.install[0])).toMatch(/apk add build-base/);
    expect(ric._recipe.entrypoint[0]).toBe('/usr/bin/python3');
  });
});
