package com.factory.inspect.bench;

import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.ModelJar;
import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Hot swap under load: a second version of the model is packaged and installed as a bundle, then
 * the line is switched between the two versions many times while the cameras run. Counts frames
 * without a result (lost), deadline misses, latency during the swaps against steady state, and the
 * process's resident memory before and after.
 */
final class SwapScenario {
    private final BundleContext context;
    private final InspectionService gate;
    private final Consumer<String> selectVersion;

    SwapScenario(BundleContext context, InspectionService gate, Consumer<String> selectVersion) {
        this.context = context;
        this.gate = gate;
        this.selectVersion = selectVersion;
    }

    /** Installs {@code model} again as another version; returns that version. */
    String installSecondVersion(ModelSource model) throws Exception {
        ModelDescriptor d = model.descriptor();
        String version = d.version() + ".swap";
        ModelDescriptor other = new ModelDescriptor(d.name(), version, d.format(), d.file(), d.inputShape(),
                d.inputLayout(), d.preprocessing(), d.outputLabels(), d.defectIndex(), d.threshold(), d.sha256());
        Bundle b = context.installBundle("bench:" + d.name() + "/" + version,
                new ByteArrayInputStream(ModelJar.toBytes(other, model.readModel(), "bench.model." + d.name())));
        b.start();
        return version;
    }

    /**
     * Switches between the two versions {@code swaps} times, each time until the new one is active,
     * pausing {@code intervalMillis} after each, printing the resident memory every {@code every}
     * switches (0: never; the trend shows a leak).
     */
    void swap(int swaps, String first, String second, long intervalMillis, int every) throws InterruptedException {
        for (int i = 0; i < swaps; i++) {
            if (every > 0 && i > 0 && i % every == 0) {
                System.out.printf(Locale.ROOT, "# rss after %d swaps: %d MB%n", i, GatewayBenchmark.rssMegabytes());
            }
            String version = i % 2 == 0 ? second : first;
            selectVersion.accept(version);
            long end = System.currentTimeMillis() + 60_000;
            while (!version.equals(gate.status().modelVersion())) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException("swap " + i + " to " + version + " did not happen: "
                            + gate.status().modelState());
                }
                Thread.sleep(5);
            }
            Thread.sleep(intervalMillis);
        }
    }

    /** The running cameras named {@code prefix01..}, held so their counts can be read after they stop. */
    java.util.List<FrameSource> sources(String prefix, int cameras) throws Exception {
        java.util.List<FrameSource> sources = new java.util.ArrayList<>();
        for (int i = 1; i <= cameras; i++) {
            for (ServiceReference<FrameSource> ref : context.getServiceReferences(FrameSource.class,
                    "(" + FrameSource.PROPERTY_CAMERA_ID + "=" + String.format(Locale.ROOT, "%s%02d", prefix, i) + ")")) {
                sources.add(context.getService(ref));
            }
        }
        return sources;
    }
}
