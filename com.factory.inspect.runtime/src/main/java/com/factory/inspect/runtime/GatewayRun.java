package com.factory.inspect.runtime;

import com.factory.inspect.api.gate.InspectionService;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The gateway as a program: the launcher runs this on its main thread with the command line it was
 * given. With {@code --duration} it prints the summary line when the time is up and returns, which
 * stops the framework; without, it waits until the framework is stopped (Ctrl-C, {@code stop 0}).
 * The return value is the process's exit code.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class GatewayRun implements Callable<Integer> {
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

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    @Override
    public Integer call() throws InterruptedException {
        RunOptions options;
        try {
            options = RunOptions.parse(arguments());
        } catch (IllegalArgumentException e) {
            System.err.println("factory-inspect: " + e.getMessage());
            System.err.println(RunOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            System.out.println(RunOptions.USAGE);
            return 0;
        }
        if (options.duration() == null) {
            stopped.await();
            return 0;
        }
        LOG.log(Level.INFO, "running for {0} s, then printing the summary and stopping",
                options.duration().toSeconds());
        if (!stopped.await(options.duration().toMillis(), TimeUnit.MILLISECONDS)) {
            System.out.println(gate.statistics().summaryLine());
            System.out.flush();
        }
        return 0;
    }

    private List<String> arguments() {
        Object args = launcher.getProperty(LAUNCHER_ARGUMENTS);
        return args instanceof String[] a ? Arrays.asList(a) : List.of();
    }
}
