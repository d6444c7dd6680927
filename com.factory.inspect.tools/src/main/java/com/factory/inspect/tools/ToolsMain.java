package com.factory.inspect.tools;

import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.camera.dataset.DatasetWriter;
import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.SelfTest;
import com.factory.inspect.evaluation.EvaluateCommand;
import com.factory.inspect.evaluation.EvaluationReport;
import com.factory.inspect.evaluation.ModelEvaluation;
import com.factory.inspect.models.descriptor.ModelJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The tools jar's program, run on the launcher's main thread:
 * {@code package-model} (an ONNX file into a verified model bundle), {@code evaluate} (a model
 * over a folder of images), {@code dataset} (a labelled synthetic data set for training) and
 * {@code selftest} (the backend conformance suite on every backend in the tools jar). Results go to standard output, progress and errors to standard error;
 * the return value is the exit code.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class ToolsMain implements Callable<Integer> {
    static final String USAGE = String.join("\n",
            "usage: java -jar factory-inspect-tools.jar COMMAND [options]",
            "commands:",
            "  package-model   turn model.onnx + its description into a model bundle jar (--help for options)",
            "  evaluate        run a model over a folder of images:",
            "                  --model JAR|NAME[:VERSION] --images DIR [--labels CSV] [--threshold T]",
            "  dataset         write a labelled synthetic data set (PNGs + labels.csv):",
            "                  --out DIR --count N [--seed S] [--defect-rate R] [--width W] [--height H]",
            "                  [--defect-types scratch,pit,crack,stain] [--masks]",
            "  selftest        run the backend conformance suite on every backend of this box [--backend ID]");

    @Reference
    private ModelControl control;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ModelSource> installed;

    private final Map<InferenceBackend, Map<String, Object>> backends = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(InferenceBackend backend, Map<String, Object> properties) {
        backends.put(backend, properties);
    }

    void removeBackend(InferenceBackend backend) {
        backends.remove(backend);
    }

    /** The bnd launcher's service carrying the command line. */
    @Reference(target = "(launcher.arguments=*)", service = Object.class)
    private ServiceReference<Object> launcher;

    @Override
    public Integer call() {
        Object args = launcher.getProperty("launcher.arguments");
        List<String> arguments = args instanceof String[] a ? Arrays.asList(a) : List.of();
        if (arguments.isEmpty() || arguments.contains("--help") && arguments.size() == 1) {
            System.out.println(USAGE);
            return arguments.isEmpty() ? 2 : 0;
        }
        List<String> rest = arguments.subList(1, arguments.size());
        try {
            return switch (arguments.get(0)) {
                case "package-model" -> packageModel(rest);
                case "evaluate" -> evaluate(rest);
                case "selftest" -> selftest(rest);
                case "dataset" -> {
                    System.out.println(DatasetWriter.run(rest.toArray(String[]::new)));
                    yield 0;
                }
                default -> throw new IllegalArgumentException("unknown command '" + arguments.get(0) + "'\n" + USAGE);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } finally {
            System.out.flush();
        }
    }

    private int packageModel(List<String> args) throws Exception {
        if (args.contains("--help")) {
            System.out.println(PackageOptions.USAGE);
            return 0;
        }
        PackageOptions o = PackageOptions.parse(args);
        byte[] jar = ModelJar.toBytes(o.descriptor(), Files.readAllBytes(o.model()), o.symbolicName());
        if (o.verify()) {
            // Verify what was written, read back the way a gateway reads it.
            ModelSource written = ModelJar.read(jar, o.out().toString()).get(0);
            Verification v = control.verify(written);
            if (!v.passed()) {
                System.err.println("error: the model does not pass verification, nothing written: " + v.detail());
                return 1;
            }
            System.err.printf("verified %s on %s (load, shape checks and warm-up in %d ms)%n", v.model(),
                    v.backendId(), v.loadMillis());
        }
        Files.write(o.out(), jar);
        System.out.printf("wrote %s: bundle %s %s, model %s, sha256 %s%n", o.out(), o.symbolicName(),
                o.descriptor().version(), o.descriptor().coordinates(), o.descriptor().sha256());
        return 0;
    }

    private int selftest(List<String> args) throws InterruptedException {
        if (!(args.isEmpty() || args.size() == 2 && args.get(0).equals("--backend"))) {
            throw new IllegalArgumentException("selftest takes no options or --backend ID");
        }
        // Backend bundles start beside this one: wait until no new backend turned up for a while.
        int seen = -1;
        for (int i = 0; i < 20 && seen != backends.size(); i++) {
            seen = backends.size();
            Thread.sleep(250);
        }
        String backendId = args.isEmpty() ? null : args.get(1);
        List<ConformanceReport> reports = SelfTest.run(SelfTest.choose(backends, backendId));
        System.out.print(SelfTest.format(reports));
        return SelfTest.passed(reports) ? 0 : 1;
    }

    private int evaluate(List<String> args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("evaluate takes --model, --images, --labels, --threshold with a "
                        + "value each; got '" + args.get(i) + "'");
            }
            o.put(args.get(i).substring(2), args.get(i + 1));
        }
        if (!o.containsKey("model") || !o.containsKey("images")) {
            throw new IllegalArgumentException("evaluate needs --model JAR|NAME[:VERSION] and --images DIR");
        }
        ModelSource model = EvaluateCommand.resolve(o.get("model"), installed);
        EvaluationReport report = ModelEvaluation.run(control, model, Path.of(o.get("images")),
                o.containsKey("labels") ? Path.of(o.get("labels")) : null,
                o.containsKey("threshold") ? PackageOptions.fraction(o.get("threshold")) : -1);
        System.out.print(report.csv());
        System.out.print(report.summary().lines().map(l -> "# " + l + "\n").reduce("", String::concat));
        return 0;
    }
}
