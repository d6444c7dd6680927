package com.factory.inspect.camera.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Component property type instances for unit tests, with the Declarative Services name mapping. */
public final class Configs {
    private Configs() {
    }

    /** An instance of {@code type} reading {@code properties} (keys like {@code camera.id}), else defaults. */
    public static <A> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + properties;
                    case "hashCode" -> properties.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> value(method, properties);
                }));
    }

    private static Object value(Method method, Map<String, ?> properties) {
        String key = method.getName().replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
        Object value = properties.containsKey(key) ? properties.get(key) : method.getDefaultValue();
        Class<?> type = method.getReturnType();
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalStateException("no value for " + key);
            }
            return null;
        }
        if (value instanceof Number n) {
            if (type == double.class) {
                return n.doubleValue();
            }
            if (type == int.class) {
                return n.intValue();
            }
            if (type == long.class) {
                return n.longValue();
            }
        }
        if (type == String[].class && value instanceof String s) {
            return new String[] {s};
        }
        return value;
    }
}
