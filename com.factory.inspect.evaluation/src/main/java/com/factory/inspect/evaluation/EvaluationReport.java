package com.factory.inspect.evaluation;

import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.decision.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of an evaluation: one result per image, and the scores where images are labelled.
 *
 * @param model {@code name:version}
 * @param backendId backend that ran it
 * @param threshold decision threshold used
 * @param results one per readable image, in name order
 * @param skipped images that could not be read, with the reason
 */
public record EvaluationReport(String model, String backendId, double threshold, List<ImageResult> results,
        List<String> skipped) {

    public EvaluationReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(backendId, "backendId");
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
    }

    /** Per image, {@code image,p_defect,decision} (and {@code ,label} when labelled), with a header. */
    public String csv() {
        boolean labelled = labelled() > 0;
        StringBuilder b = new StringBuilder(labelled ? "image,p_defect,decision,label\n" : "image,p_defect,decision\n");
        for (ImageResult r : results) {
            b.append(r.image()).append(',').append(String.format(Locale.ROOT, "%.6f", r.defectProbability()))
                    .append(',').append(r.decision() == Verdict.FAIL ? "reject" : "pass");
            if (labelled) {
                b.append(',').append(switch (r.truth()) {
                    case DEFECT -> "1";
                    case GOOD -> "0";
                    default -> "";
                });
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Images with a label. */
    public long labelled() {
        return results.stream().filter(r -> r.truth() != GroundTruth.UNKNOWN).count();
    }

    /** Labelled defects the model rejected. */
    public long truePositives() {
        return count(GroundTruth.DEFECT, Verdict.FAIL);
    }

    /** Labelled defects the model passed: escapes. */
    public long missedDefects() {
        return count(GroundTruth.DEFECT, Verdict.PASS);
    }

    /** Labelled good parts the model rejected. */
    public long falseRejects() {
        return count(GroundTruth.GOOD, Verdict.FAIL);
    }

    /** Labelled good parts the model passed. */
    public long trueNegatives() {
        return count(GroundTruth.GOOD, Verdict.PASS);
    }

    /** Share of labelled images decided right. */
    public double accuracy() {
        return ratio(truePositives() + trueNegatives(), labelled());
    }

    /** Share of labelled defects rejected. */
    public double defectRecall() {
        return ratio(truePositives(), truePositives() + missedDefects());
    }

    /** Share of rejected labelled images that are defects. */
    public double defectPrecision() {
        return ratio(truePositives(), truePositives() + falseRejects());
    }

    /** Latency percentile (preprocessing + inference) in ms. */
    public double latencyMillis(double percentile) {
        if (results.isEmpty()) {
            return 0;
        }
        long[] nanos = results.stream().mapToLong(ImageResult::nanos).toArray();
        Arrays.sort(nanos);
        int index = (int) Math.min(nanos.length - 1, Math.ceil(percentile / 100.0 * nanos.length) - 1);
        return nanos[Math.max(0, index)] / 1e6;
    }

    /** A few lines a person reads: model, counts, scores, latency. */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "model %s on %s, threshold %.4f: %d images, %d rejected, %d skipped%n", model, backendId, threshold,
                results.size(), results.stream().filter(r -> r.decision() == Verdict.FAIL).count(), skipped.size()));
        if (labelled() > 0) {
            b.append(String.format(Locale.ROOT, "labelled %d: accuracy %.4f, defect recall %.4f, defect precision "
                    + "%.4f, missed defects %d, false rejects %d%n", labelled(), accuracy(), defectRecall(),
                    defectPrecision(), missedDefects(), falseRejects()));
        }
        b.append(String.format(Locale.ROOT, "latency (preprocess + infer) p50 %.2f ms, p99 %.2f ms%n",
                latencyMillis(50), latencyMillis(99)));
        for (String s : skipped) {
            b.append("skipped ").append(s).append('\n');
        }
        return b.toString();
    }

    private long count(GroundTruth truth, Verdict verdict) {
        return results.stream().filter(r -> r.truth() == truth && r.decision() == verdict).count();
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
