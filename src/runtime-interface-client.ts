import { I, Instruction } from './dockerfile/model';
import { FUNCTION_DIR, RicRecipe } from './private/image-recipe';

/** Options shared by every Runtime Interface Client. */
export interface RuntimeInterfaceClientOptions {
  /**
   * Version of the RIC package to install.
   * @default - a version tested with this library (see each factory)
   */
  readonly version?: string;
  /**
   * Image for the build stage, where the RIC and the dependencies are installed (and the code is
   * compiled for Go and .NET). Use the "full" variant of a "slim" base image when packages need
   * compilers; they stay out of the final image either way.
   * @default - the base image itself (or the language's SDK image for Go, Java and .NET)
   */
  readonly buildImage?: string;
  /**
   * Shell commands run first in the build stage, e.g. to install compilers on an Alpine image.
   * @default - none (Node.js: installs the build tools aws-lambda-ric needs with apt-get)
   */
  readonly buildSetupCommands?: string[];
}

/** Options for the Python RIC. */
export interface PythonRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /**
   * Absolute path of the Python interpreter in the base image.
   * @default '/usr/local/bin/python' (the official python images)
   */
  readonly interpreter?: string;
}

/** Options for the Node.js RIC. */
export interface NodejsRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /**
   * Absolute path of the node binary in the base image.
   * @default '/usr/local/bin/node' (the official node images)
   */
  readonly node?: string;
}

/** Options for the Java RIC. */
export interface JavaRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /**
   * Absolute path of the java binary in the base image.
   * @default '/opt/java/openjdk/bin/java' (the eclipse-temurin images)
   */
  readonly java?: string;
}

/** Options for the Ruby RIC. */
export interface RubyRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /**
   * Absolute path of the ruby binary in the base image.
   * @default '/usr/local/bin/ruby' (the official ruby images)
   */
  readonly ruby?: string;
}

/** Options for .NET (Amazon.Lambda.RuntimeSupport, referenced by the project itself). */
export interface DotnetRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /** File name of the published assembly to run, e.g. `MyFunction.dll`. */
  readonly assembly: string;
  /**
   * Absolute path of the dotnet host in the base image.
   * @default '/usr/share/dotnet/dotnet' (the mcr.microsoft.com/dotnet images)
   */
  readonly dotnet?: string;
}

/** Options for Go (aws-lambda-go implements the Runtime API: no RIC to install). */
export interface GoRuntimeInterfaceClientOptions extends RuntimeInterfaceClientOptions {
  /**
   * Go package to build, relative to the code directory.
   * @default '.'
   */
  readonly package?: string;
}

const NODE_BUILD_TOOLS = [
  'apt-get update',
  'apt-get install -y --no-install-recommends g++ make cmake unzip autoconf automake libtool python3 libcurl4-openssl-dev',
  'rm -rf /var/lib/apt/lists/*',
];

/**
 * The Runtime Interface Client that makes a non-AWS base image speak the Lambda Runtime API.
 *
 * Installed in a build stage of a multi-stage build, so compilers and package caches stay out of
 * the final image; the final image's ENTRYPOINT runs it with absolute paths.
 */
export class RuntimeInterfaceClient {
  /** Python: `awslambdaric` from PyPI, run as `python -m awslambdaric <handler>`. */
  public static python(options: PythonRuntimeInterfaceClientOptions = {}): RuntimeInterfaceClient {
    const pkg = `awslambdaric==${options.version ?? '3.1.1'}`;
    return new RuntimeInterfaceClient({
      language: 'python',
      buildImage: options.buildImage,
      install: [...setup(options.buildSetupCommands), I.run(`pip install --no-cache-dir --target "${FUNCTION_DIR}" ${pkg}`)],
      dependencyKind: 'pip',
      compilesCode: false,
      copyFromBuild: [FUNCTION_DIR],
      entrypoint: [options.interpreter ?? '/usr/local/bin/python', '-m', 'awslambdaric'],
      requiresHandler: true,
    });
  }

  /** Node.js: `aws-lambda-ric` from npm (compiled in the build stage), run with node. */
  public static nodejs(options: NodejsRuntimeInterfaceClientOptions = {}): RuntimeInterfaceClient {
    const ricDir = '/ric';
    return new RuntimeInterfaceClient({
      language: 'nodejs',
      buildImage: options.buildImage,
      install: [
        ...setup(options.buildSetupCommands ?? NODE_BUILD_TOOLS),
        // ${FUNCTION_DIR} too: the final stage copies it, and without dependencies nothing else creates it.
        I.run(`mkdir -p ${ricDir} ${FUNCTION_DIR}`, `npm install --prefix ${ricDir} --no-audit --no-fund aws-lambda-ric@${options.version ?? '3.3.0'}`, 'npm cache clean --force',
          // Only what runs reaches the final stage: the native addon is built into dist/; the C++
          // sources it was built from (deps/, 155 MB) and the package's build-time dependencies
          // (node-gyp and node-addon-api, with their tree) stay here.
          `rm -rf ${ricDir}/node_modules/aws-lambda-ric/deps`,
          `find ${ricDir}/node_modules -mindepth 1 -maxdepth 1 ! -name aws-lambda-ric ! -name .bin -exec rm -rf {} +`,
          `find ${ricDir}/node_modules/.bin -mindepth 1 ! -name aws-lambda-ric -delete`),
      ],
      dependencyKind: 'npm',
      compilesCode: false,
      copyFromBuild: [ricDir, FUNCTION_DIR],
      // npm links the package's bin here whatever its path inside the package (3.x: bin/index.mjs, 4.x: index.mjs).
      entrypoint: [options.node ?? '/usr/local/bin/node', `${ricDir}/node_modules/.bin/aws-lambda-ric`],
      requiresHandler: true,
    });
  }

  /** Java: `aws-lambda-java-runtime-interface-client` from Maven Central, on the classpath with the code. */
  public static java(options: JavaRuntimeInterfaceClientOptions = {}): RuntimeInterfaceClient {
    const [groupId, artifactId, version] = ['com.amazonaws', 'aws-lambda-java-runtime-interface-client', options.version ?? '2.9.0'];
    // The RIC's jar holds none of its runtime dependencies (aws-lambda-java-core,
    // aws-lambda-java-serialization, utils-lite…): without them it stops at start with
    // NoClassDefFoundError. `dependency:copy` copies one artifact, so a one-dependency POM lets
    // `dependency:copy-dependencies` copy the RIC with its runtime tree (no test or build-time jars).
    const pom = '<project><modelVersion>4.0.0</modelVersion><groupId>local</groupId><artifactId>ric</artifactId><version>1</version>'
      + `<dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies></project>`;
    return new RuntimeInterfaceClient({
      language: 'java',
      buildImage: options.buildImage ?? 'maven:3-eclipse-temurin-21',
      install: [
        ...setup(options.buildSetupCommands),
        I.comment(`${groupId}:${artifactId}:${version} and its runtime dependencies, into ${FUNCTION_DIR}/lib.`),
        I.run('mkdir -p /tmp/ric', `echo '${pom}' > /tmp/ric/pom.xml`,
          `mvn -B -q -f /tmp/ric/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=${FUNCTION_DIR}/lib`),
      ],
      compilesCode: false,
      copyFromBuild: [FUNCTION_DIR],
      entrypoint: [options.java ?? '/opt/java/openjdk/bin/java', '-cp', `${FUNCTION_DIR}:${FUNCTION_DIR}/lib/*`, 'com.amazonaws.services.lambda.runtime.api.client.AWSLambda'],
      requiresHandler: true,
    });
  }

  /** Ruby: the `aws_lambda_ric` gem, installed into its own gem path. */
  public static ruby(options: RubyRuntimeInterfaceClientOptions = {}): RuntimeInterfaceClient {
    const gemDir = `${FUNCTION_DIR}/vendor/ric`;
    const version = options.version ? ` -v ${options.version}` : '';
    return new RuntimeInterfaceClient({
      language: 'ruby',
      buildImage: options.buildImage,
      install: [...setup(options.buildSetupCommands), I.run(`gem install --no-document --install-dir ${gemDir} aws_lambda_ric${version}`)],
      dependencyKind: 'bundler',
      compilesCode: false,
      copyFromBuild: [FUNCTION_DIR],
      environment: { GEM_PATH: gemDir },
      entrypoint: [options.ruby ?? '/usr/local/bin/ruby', `${gemDir}/bin/aws_lambda_ric`],
      requiresHandler: true,
    });
  }

  /**
   * .NET: the project references `Amazon.Lambda.RuntimeSupport` and is published in an SDK build
   * stage; the final image runs the published assembly.
   */
  public static dotnet(options: DotnetRuntimeInterfaceClientOptions): RuntimeInterfaceClient {
    return new RuntimeInterfaceClient({
      language: 'dotnet',
      buildImage: options.buildImage ?? 'mcr.microsoft.com/dotnet/sdk:8.0',
      install: setup(options.buildSetupCommands),
      compilesCode: true,
      compile: [I.run(`dotnet publish --configuration Release --output ${FUNCTION_DIR}`)],
      copyFromBuild: [FUNCTION_DIR],
      entrypoint: [options.dotnet ?? '/usr/share/dotnet/dotnet', `${FUNCTION_DIR}/${options.assembly}`],
      requiresHandler: false,
    });
  }

  /**
   * Go needs no RIC: `aws-lambda-go` implements the Runtime API. The code is compiled in a
   * golang build stage (CGO off, for the target architecture) and run as `/function/bootstrap`.
   */
  public static go(options: GoRuntimeInterfaceClientOptions = {}): RuntimeInterfaceClient {
    return new RuntimeInterfaceClient({
      language: 'go',
      buildImage: options.buildImage ?? 'golang:1.24',
      install: setup(options.buildSetupCommands),
      dependencyKind: 'go',
      compilesCode: true,
      compile: [I.run(`CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o ${FUNCTION_DIR}/bootstrap ${options.package ?? '.'}`)],
      copyFromBuild: [FUNCTION_DIR],
      entrypoint: [`${FUNCTION_DIR}/bootstrap`],
      requiresHandler: false,
    });
  }

  /** The language this client serves. */
  public readonly language: string;

  /** @internal */
  public readonly _recipe: RicRecipe;

  private constructor(recipe: RicRecipe) {
    this._recipe = recipe;
    this.language = recipe.language;
  }
}

function setup(commands: readonly string[] | undefined): Instruction[] {
  return commands && commands.length > 0 ? [I.run(...commands)] : [];
}
