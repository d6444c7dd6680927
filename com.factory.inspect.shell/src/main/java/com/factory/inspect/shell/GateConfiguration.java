package com.factory.inspect.shell;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The gate's configuration, read and changed the way a technician's file edit would change it (when
 * the configuration came from a file, the file is updated too).
 */
final class GateConfiguration {
    static final String PID = "com.factory.inspect.gate";

    private GateConfiguration() {
    }

    /** Sets {@code values} (a null value removes the key), keeping every other key. */
    static void update(ConfigurationAdmin admin, Map<String, Object> values) throws IOException {
        Configuration config = admin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() == null) {
                props.remove(e.getKey());
            } else {
                props.put(e.getKey(), e.getValue());
            }
        }
        config.update(props);
    }

    /** The configured value of {@code key}, or null. */
    static Object get(ConfigurationAdmin admin, String key) {
        try {
            Configuration[] configs = admin.listConfigurations("(service.pid=" + PID + ")");
            if (configs == null || configs.length == 0 || configs[0].getProperties() == null) {
                return null;
            }
            return configs[0].getProperties().get(key);
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }
}
