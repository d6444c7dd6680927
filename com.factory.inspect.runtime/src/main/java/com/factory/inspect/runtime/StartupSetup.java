package com.factory.inspect.runtime;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * What the gateway does once at start, before its configuration is read: one log line per message
 * (journald and grep friendly), and the default configuration written to the configuration folder
 * if it has none. Runs before FileInstall starts watching that folder (a lower start level).
 */
@Component(immediate = true, service = {})
public class StartupSetup {
    private static final Logger LOG = System.getLogger(StartupSetup.class.getName());
    /** FileInstall's property naming the watched configuration folder. */
    static final String CONFIG_FOLDER_PROPERTY = "felix.fileinstall.dir";

    @Activate
    void activate(BundleContext context) {
        useOneLineLogFormat();
        String folder = context.getProperty(CONFIG_FOLDER_PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path path = Path.of(folder).toAbsolutePath();
        try {
            List<Path> written = DefaultConfiguration.seed(context.getBundle(), path);
            if (!written.isEmpty()) {
                LOG.log(Level.INFO, "wrote the default configuration ({0} files: the demo line with {1} synthetic "
                        + "cameras at 5 fps) to {2}; edit those files to configure the gateway", written.size(),
                        DefaultConfiguration.DEMO_CAMERAS, path);
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot write the default configuration to {0}: {1}", path, e.toString());
        }
    }

    private static void useOneLineLogFormat() {
        Formatter oneLine = new Formatter() {
            @Override
            public String format(LogRecord r) {
                String message = formatMessage(r);
                StringBuilder b = new StringBuilder(160).append(String.format("%1$tF %1$tT %2$-7s %3$s: %4$s%n",
                        r.getMillis(), r.getLevel().getName(), shortName(r.getLoggerName()), message));
                if (r.getThrown() != null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                    b.append(trace);
                }
                return b.toString();
            }
        };
        for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setFormatter(oneLine);
        }
    }

    private static String shortName(String loggerName) {
        if (loggerName == null) {
            return "";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
