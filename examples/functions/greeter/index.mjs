// A Node.js function on a plain Debian-based Node image, made Lambda-ready by aws-lambda-ric.
export const handler = async (event) => {
  const name = event?.name ?? 'world';
  return { greeting: `Hello, ${name}!`, runtime: `node ${process.versions.node}` };
};
