import io.github.cdklambdacontainer.BaseImage;
import io.github.cdklambdacontainer.ExtensionImageLayer;
import io.github.cdklambdacontainer.LambdaContainerFunction;
import io.github.cdklambdacontainer.SharedImageRepository;
import io.github.cdklambdacontainer.SharedImageRepositorySynthesizer;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Architecture;

/**
 * The binding test's app in Java (e2e/bindings.e2e.ts): a SharedImageRepository in its own stack,
 * and an arm64 function on the AWS Python base image with an extension layer, routed into it.
 * Arguments: the examples directory, the cloud assembly directory.
 */
public final class BindingApp {
  public static void main(final String[] args) {
    String examples = args[0];
    App app = new App(AppProps.builder().outdir(args[1]).defaultStackSynthesizer(new SharedImageRepositorySynthesizer()).build());

    Stack images = new Stack(app, "BindingImages");
    SharedImageRepository repository = SharedImageRepository.Builder.create(images, "Repository")
        .repositoryName("binding")
        .removalPolicy(RemovalPolicy.DESTROY)
        .emptyOnDelete(true)
        .build();

    Stack functions = new Stack(app, "BindingFunctions");
    LambdaContainerFunction.Builder.create(functions, "ListOrders")
        .baseImage(BaseImage.python("3.13"))
        .entry(Paths.get(examples, "functions", "orders").toString())
        .cmd(List.of("app.list_orders"))
        .architecture(Architecture.ARM_64)
        .memorySize(256)
        .environment(Map.of("TABLE_NAME", "orders"))
        .imageLayers(List.of(ExtensionImageLayer.fromDirectory(Paths.get(examples, "layers", "telemetry").toString())))
        .repository(repository)
        .build();

    app.synth();
  }
}
