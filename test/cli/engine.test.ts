import { findEngine } from '../../src/cli/engine';

describe('findEngine', () => {
  test('honours CDK_DOCKER first', () => {
    expect(findEngine({ CDK_DOCKER: 'finch' })).toBe('finch');
  });

  test('says how to get an engine when none answers', () => {
    expect(() => findEngine({ PATH: '/nonexistent' })).toThrow(/no container engine found: tried docker, finch and podman.*set CDK_DOCKER/);
  });
});
