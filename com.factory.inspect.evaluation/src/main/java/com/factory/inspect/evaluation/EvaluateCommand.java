package com.factory.inspect.evaluation;

import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.DescriptorException;
import com.factory.inspect.models.descriptor.ModelJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code inspect:evaluate}: a model over a folder of the plant's own images, as the line would decide. */
@Component(service = EvaluateCommand.class, property = {
        "osgi.command.scope=inspect",
        "osgi.command.function=evaluate"})
public class EvaluateCommand {

    @Reference
    private ModelControl control;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ModelSource> installed;

    @Descriptor("run a model over a folder of images (labels from its labels.csv, if any) and print per image "
            + "image,p_defect,decision and, with labels, accuracy, recall, precision, missed defects, false rejects")
    public String evaluate(@Descriptor("installed model name[:version], or a model bundle jar") String model,
            @Descriptor("folder of PNG/JPEG/PGM images") String folder) throws Exception {
        return evaluate(model, folder, null);
    }

    @Descriptor("as above, with a labels CSV (image,label; 0 good, 1 defect)")
    public String evaluate(@Descriptor("installed model name[:version], or a model bundle jar") String model,
            @Descriptor("folder of PNG/JPEG/PGM images") String folder,
            @Descriptor("labels CSV file") String labels) throws Exception {
        EvaluationReport report = ModelEvaluation.run(control, resolve(model, installed), Path.of(folder),
                labels == null ? null : Path.of(labels), -1);
        return report.csv() + report.summary();
    }

    /** A model bundle jar (not installed, verified as it is loaded) or an installed model by name[:version]. */
    public static ModelSource resolve(String model, List<ModelSource> installed) throws DescriptorException,
            java.io.IOException {
        Path path = Path.of(model);
        if (model.endsWith(".jar") || Files.isRegularFile(path)) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no model jar " + path.toAbsolutePath());
            }
            List<ModelSource> carried = ModelJar.read(Files.readAllBytes(path), path.toString());
            return carried.get(0);
        }
        String[] nameVersion = model.split(":", 2);
        return (installed == null ? List.<ModelSource>of() : installed).stream()
                .filter(m -> m.descriptor().name().equals(nameVersion[0]) && (nameVersion.length == 1
                        || ModelDescriptor.sameVersion(m.descriptor().version(), nameVersion[1])))
                .max(Comparator.comparing(m -> Version.parseVersion(m.descriptor().version())))
                .orElseThrow(() -> new IllegalArgumentException("model " + model + " is not installed"));
    }
}
