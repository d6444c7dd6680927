package com.factory.inspect.camera.folder;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

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
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.camera.common.CameraPublication;
import com.factory.inspect.camera.common.CaptureStream;

/**
 * A camera that replays the PNG, JPEG and PGM images of a folder in name order, with the ground truth
 * of its {@code labels.csv}. A missing or empty folder makes it FAILED until images appear; an
 * unreadable file is skipped. One instance per factory configuration.
 */
@Designate(ocd = FolderCamera.Config.class, factory = true)
@Component(name = FolderCamera.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class FolderCamera implements FrameSource {
    /** Factory PID of its configurations. */
    public static final String PID = "com.factory.inspect.camera.folder";
    private static final Logger LOG = System.getLogger(FolderCamera.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect folder replay camera",
            description = "Replays the images of a folder (PNG, JPEG, PGM) as camera frames, with ground truth "
                    + "from the folder's labels.csv (image,label; 0 = good, 1 = defect).")
    public @interface Config {
        @AttributeDefinition(name = "Camera id", description = "Unique camera id on this gateway.")
        String camera_id();

        @AttributeDefinition(name = "Folder", description = "Folder whose images are replayed in name order.")
        String folder();

        @AttributeDefinition(name = "Frames per second", description = "Replay rate; changes apply live.",
                min = "0.01", max = "1000")
        double fps() default 5;

        @AttributeDefinition(name = "Loop", description = "Start again after the last image.")
        boolean loop() default true;

        @AttributeDefinition(name = "Retry seconds",
                description = "How often a missing or empty folder is looked at again.", min = "0.01")
        double retry_seconds() default 3;
    }

    private volatile FolderOptions options;
    private FolderReplay replay;
    private CaptureStream stream;
    private CameraPublication publication;

    @Activate
    void activate(BundleContext context, Config config) {
        FolderOptions o = FolderOptions.from(config);
        options = o;
        replay = new FolderReplay(o);
        stream = new CaptureStream(o.cameraId(), o.framesPerSecond(), o.retryInterval(), replay::produce);
        publication = CameraPublication.publish(context, this, stream, o.cameraId());
        LOG.log(Level.INFO, "folder camera {0}: {1} at {2} fps", o.cameraId(), describe(o), o.framesPerSecond());
    }

    @Modified
    void modified(Config config) {
        FolderOptions next = FolderOptions.from(config);
        if (next.equals(options)) {
            return;
        }
        options = next;
        replay.setOptions(next);
        stream.setRetryInterval(next.retryInterval());
        publication.reconfigure(next.cameraId(), next.framesPerSecond());
        LOG.log(Level.INFO, "folder camera {0} reconfigured: {1} at {2} fps", next.cameraId(), describe(next),
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
        return options.cameraId();
    }

    /** Size and format are those of the last image delivered (0×0 before the first). */
    @Override
    public CameraInfo info() {
        FolderOptions o = options;
        return new CameraInfo(o.cameraId(), "folder", replay.lastFormat(), replay.lastWidth(), replay.lastHeight(),
                o.framesPerSecond(), describe(o));
    }

    /** While nobody has it open, a missing or empty folder already shows as FAILED. */
    @Override
    public CameraHealth health() {
        CameraHealth health = stream.health();
        if (health.state() == CameraHealth.State.IDLE) {
            String problem = replay.probe();
            return problem == null ? health : new CameraHealth(CameraHealth.State.FAILED, health.framesDelivered(),
                    problem);
        }
        String note = replay.note();
        if (health.state() == CameraHealth.State.STREAMING && !note.isEmpty()) {
            return new CameraHealth(health.state(), health.framesDelivered(), note);
        }
        return health;
    }

    @Override
    public Subscription open(FrameSink sink) {
        return stream.open(sink);
    }

    private static String describe(FolderOptions o) {
        return "replays " + o.folder() + (o.loop() ? " in a loop" : " once");
    }
}
