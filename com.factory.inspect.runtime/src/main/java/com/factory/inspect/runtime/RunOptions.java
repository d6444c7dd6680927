package com.factory.inspect.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's command line.
 *
 * @param duration how long to run before printing the summary and stopping; null runs until stopped
 * @param help whether usage was asked for
 */
record RunOptions(Duration duration, boolean help) {
    static final String USAGE = String.join("\n",
            "usage: java -jar factory-inspect.jar [--duration TIME] [--help]",
            "  --duration TIME  run for TIME (e.g. 90s, 5m, 2h, or plain seconds), print the summary line",
            "                   inspected=N passed=N failed=N dropped=N missed_deadlines=N p50_ms=X p99_ms=Y",
            "                   and exit; without it the gateway runs until stopped (Ctrl-C, or 'stop 0' in the shell)",
            "  --help           print this text",
            "Configuration: the folder named by -Dfelix.fileinstall.dir (default ./conf), watched while running.");

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    /** Parses the arguments; throws IllegalArgumentException with a message for the user. */
    static RunOptions parse(List<String> args) {
        Duration duration = null;
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--duration" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--duration needs a time, e.g. --duration 30s");
                    }
                    duration = parseDuration(args.get(++i));
                }
                default -> {
                    if (arg.startsWith("--duration=")) {
                        duration = parseDuration(arg.substring("--duration=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    }
                }
            }
        }
        return new RunOptions(duration, help);
    }

    static Duration parseDuration(String text) {
        Matcher m = TIME.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time; use e.g. 90s, 5m, 2h or 500ms");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> value;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> value * 1000;
        };
        if (millis < 1) {
            throw new IllegalArgumentException("--duration must be positive, was '" + text + "'");
        }
        return Duration.ofMillis((long) millis);
    }
}
