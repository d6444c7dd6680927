package com.factory.inspect.runtime;

import com.factory.inspect.api.gate.InspectionService;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The gateway as a program: reads the command line the launcher was given, and for
 * {@code --duration} prints the summary line and stops the framework when the time is up.
 */
@Component(immediate = true)
public class GatewayRun {
    private static final Logger LOG = System.getLogger(GatewayRun.class.getName());
    /** Property the bnd launcher puts the command line in, on the service it registers. */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";

    @Reference
    private InspectionService gate;

    /**
     * The bnd launcher's service, carrying the command line (in another launcher this component
     * stays inactive). A reference, not a properties map: the launcher later adds properties, which
     * must not restart the run.
     */
    @Reference(target = "(" + LAUNCHER_ARGUMENTS + "=*)", service = Object.class)
    private ServiceReference<Object> launcher;

    private ScheduledExecutorService timer;

    @Activate
    void activate(BundleContext context) {
        RunOptions options;
        try {
            options = RunOptions.parse(arguments());
        } catch (IllegalArgumentException e) {
            System.err.println("factory-inspect: " + e.getMessage());
            System.err.println(RunOptions.USAGE);
            stopFramework(context, 2);
            return;
        }
        if (options.help()) {
            System.out.println(RunOptions.USAGE);
            stopFramework(context, 0);
            return;
        }
        if (options.duration() != null) {
            Duration d = options.duration();
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "inspect-run-timer");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(() -> finish(context), d.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.INFO, "running for {0} s, then printing the summary and stopping", d.toSeconds());
        }
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private List<String> arguments() {
        Object args = launcher.getProperty(LAUNCHER_ARGUMENTS);
        return args instanceof String[] a ? Arrays.asList(a) : List.of();
    }

    private void finish(BundleContext context) {
        System.out.println(gate.statistics().summaryLine());
        System.out.flush();
        stopFramework(context, 0);
    }

    /**
     * Stops the framework (components deactivate, the gate prints its final line) and then ends the
     * JVM with {@code exitCode}: the launcher would otherwise report the framework's stop as an error.
     */
    private static void stopFramework(BundleContext context, int exitCode) {
        // Stopping the system bundle from a component callback must not block it: use a thread.
        Thread stopper = new Thread(() -> {
            try {
                Bundle system = context.getBundle(0);
                system.stop();
                if (system instanceof Framework framework) {
                    framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
                }
            } catch (BundleException | IllegalStateException e) {
                LOG.log(Level.ERROR, "cannot stop the framework", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.exit(exitCode);
        }, "inspect-shutdown");
        stopper.start();
    }
}
