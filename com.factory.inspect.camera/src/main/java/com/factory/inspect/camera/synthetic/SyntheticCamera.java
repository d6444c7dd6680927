package com.factory.inspect.camera.synthetic;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.CameraInfo;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.camera.common.CameraPublication;
import com.factory.inspect.camera.common.CaptureStream;

/**
 * A camera that renders turned metal flanges with procedural defects and knows the ground truth of
 * every frame. One instance per factory configuration.
 */
@Designate(ocd = SyntheticCamera.Config.class, factory = true)
@Component(name = SyntheticCamera.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class SyntheticCamera implements FrameSource {
    /** Factory PID of its configurations. */
    public static final String PID = "com.factory.inspect.camera.synthetic";
    private static final Logger LOG = System.getLogger(SyntheticCamera.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect synthetic camera",
            description = "Renders machined parts with procedural defects (scratches, pits, cracks, stains) and "
                    + "their ground truth, for testing the gateway without a camera.")
    public @interface Config {
        @AttributeDefinition(name = "Camera id", description = "Unique camera id on this gateway.")
        String camera_id();

        @AttributeDefinition(name = "Frames per second", description = "Frame rate; changes apply live.",
                min = "0.01", max = "1000")
        double fps() default 5;

        @AttributeDefinition(name = "Width", description = "Frame width in pixels.", min = "64", max = "8192")
        int width() default 640;

        @AttributeDefinition(name = "Height", description = "Frame height in pixels.", min = "64", max = "8192")
        int height() default 480;

        @AttributeDefinition(name = "Defect rate", description = "Probability (0..1) that a part is defective; "
                + "changes apply live.", min = "0", max = "1")
        double defect_rate() default 0.1;

        @AttributeDefinition(name = "Defect types", description = "Defects to draw: scratch, pit, crack, stain.")
        String[] defect_types() default {"scratch", "pit", "crack", "stain"};

        @AttributeDefinition(name = "Seed", description = "Random seed; 0 derives one from the camera id.")
        long seed() default 0;
    }

    /** Options and the renderer they need, swapped together. */
    private record State(SyntheticOptions options, SurfaceRenderer renderer) {
    }

    private final AtomicLong renderIndex = new AtomicLong();
    private volatile State state;
    private CaptureStream stream;
    private CameraPublication publication;

    @Activate
    void activate(BundleContext context, Config config) {
        SyntheticOptions options = SyntheticOptions.from(config);
        state = new State(options, renderer(options));
        stream = new CaptureStream(options.cameraId(), options.framesPerSecond(), Duration.ofSeconds(1),
                this::capture);
        publication = CameraPublication.publish(context, this, stream, options.cameraId());
        LOG.log(Level.INFO, "synthetic camera {0}: {1} at {2} fps", options.cameraId(), options.describe(),
                options.framesPerSecond());
    }

    @Modified
    void modified(Config config) {
        SyntheticOptions next = SyntheticOptions.from(config);
        State current = state;
        if (next.equals(current.options())) {
            return;
        }
        SurfaceRenderer renderer = next.sameImages(current.options()) ? current.renderer() : renderer(next);
        state = new State(next, renderer);
        publication.reconfigure(next.cameraId(), next.framesPerSecond());
        LOG.log(Level.INFO, "synthetic camera {0} reconfigured: {1} at {2} fps", next.cameraId(), next.describe(),
                next.framesPerSecond());
    }

    @Deactivate
    void deactivate() {
        if (publication != null) {
            publication.close();
        }
    }

    @Override
    public String cameraId() {
        return state.options().cameraId();
    }

    @Override
    public CameraInfo info() {
        SyntheticOptions o = state.options();
        return new CameraInfo(o.cameraId(), "synthetic", PixelFormat.MONO8, o.width(), o.height(),
                o.framesPerSecond(), o.describe());
    }

    @Override
    public CameraHealth health() {
        return stream.health();
    }

    @Override
    public Subscription open(FrameSink sink) {
        return stream.open(sink);
    }

    private Frame capture(long sequence) {
        long captured = System.nanoTime();
        State s = state;
        SurfaceRenderer renderer = s.renderer();
        byte[] pixels = new byte[renderer.width() * renderer.height()];
        RenderedSurface surface = renderer.render(renderIndex.getAndIncrement(), s.options().defectRate(), pixels);
        return Frame.of(s.options().cameraId(), sequence, captured, PixelFormat.MONO8, renderer.width(),
                renderer.height(), pixels, surface.defective() ? GroundTruth.DEFECT : GroundTruth.GOOD,
                surface.annotation());
    }

    private static SurfaceRenderer renderer(SyntheticOptions options) {
        return new SurfaceRenderer(options.width(), options.height(), options.effectiveSeed(), options.defectTypes());
    }
}
