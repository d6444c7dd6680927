package com.factory.inspect.gate.defectlog;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.LatencyBreakdown;
import java.time.Instant;
import java.util.Locale;

/** The JSON metadata written beside each logged image. */
final class DefectJson {

    private DefectJson() {
    }

    static String of(InspectionResult r, Frame frame, long wallMillis, String imageFile) {
        LatencyBreakdown l = r.latency();
        StringBuilder b = new StringBuilder(512).append("{\n");
        field(b, "camera", r.cameraId());
        number(b, "sequence", r.sequence());
        field(b, "time", Instant.ofEpochMilli(wallMillis).toString());
        field(b, "image", imageFile);
        number(b, "width", frame.width());
        number(b, "height", frame.height());
        field(b, "pixel_format", frame.pixelFormat().name());
        field(b, "verdict", r.verdict().name());
        field(b, "outcome", r.outcome().name());
        b.append("  \"defect_probability\": ")
                .append(Double.isNaN(r.defectProbability()) ? "null" : fmt(r.defectProbability())).append(",\n");
        b.append("  \"threshold\": ").append(fmt(r.threshold())).append(",\n");
        field(b, "model", r.modelName());
        field(b, "model_version", r.modelVersion());
        field(b, "backend", r.backendId());
        field(b, "actuation", r.actuation().name());
        b.append("  \"deadline_met\": ").append(r.deadlineMet()).append(",\n");
        field(b, "ground_truth", r.groundTruth().name());
        field(b, "annotation", frame.annotation());
        b.append("  \"latency_ms\": {\"queue\": ").append(ms(l.queueNanos())).append(", \"preprocess\": ")
                .append(ms(l.preprocessNanos())).append(", \"infer\": ").append(ms(l.inferNanos()))
                .append(", \"decide\": ").append(ms(l.decideNanos())).append(", \"total\": ")
                .append(ms(l.totalNanos())).append("}\n}\n");
        return b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append("  \"").append(name).append("\": \"");
        escape(b, value);
        b.append("\",\n");
    }

    private static void number(StringBuilder b, String name, long value) {
        b.append("  \"").append(name).append("\": ").append(value).append(",\n");
    }

    private static String ms(long nanos) {
        return fmt(nanos / 1e6);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
