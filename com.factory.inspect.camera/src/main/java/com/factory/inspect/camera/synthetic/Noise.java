package com.factory.inspect.camera.synthetic;

import java.util.SplittableRandom;

/** Small deterministic noise helpers (no JDK-version-dependent Gaussian sampler). */
final class Noise {
    private static final double SQRT3 = Math.sqrt(3);

    private Noise() {
    }

    /** Approximately standard normal: the Irwin-Hall sum of four uniforms, scaled. */
    static double gauss(SplittableRandom random) {
        double sum = random.nextDouble() + random.nextDouble() + random.nextDouble() + random.nextDouble();
        return (sum - 2) * SQRT3;
    }

    /** {@code n} approximately normal values with standard deviation {@code sigma}. */
    static float[] gaussian(int n, double sigma, SplittableRandom random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (gauss(random) * sigma);
        }
        return values;
    }

    /** Box blur of every row of a {@code rows × columns} array, wrapping around (angles). */
    static void boxBlurRowsCircular(float[] data, int rows, int columns, int window) {
        float[] row = new float[columns];
        int half = window / 2;
        for (int r = 0; r < rows; r++) {
            int base = r * columns;
            System.arraycopy(data, base, row, 0, columns);
            double sum = 0;
            for (int k = -half; k <= half; k++) {
                sum += row[Math.floorMod(k, columns)];
            }
            for (int c = 0; c < columns; c++) {
                data[base + c] = (float) (sum / (2 * half + 1));
                sum += row[Math.floorMod(c + half + 1, columns)] - row[Math.floorMod(c - half, columns)];
            }
        }
    }

    /** Separable [1 2 1]/4 blur of an image, edges clamped. */
    static void binomialBlur(float[] image, int width, int height) {
        float[] tmp = new float[image.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                float left = image[row + Math.max(x - 1, 0)];
                float right = image[row + Math.min(x + 1, width - 1)];
                tmp[row + x] = 0.25f * left + 0.5f * image[row + x] + 0.25f * right;
            }
        }
        for (int y = 0; y < height; y++) {
            int up = Math.max(y - 1, 0) * width;
            int down = Math.min(y + 1, height - 1) * width;
            int row = y * width;
            for (int x = 0; x < width; x++) {
                image[row + x] = 0.25f * tmp[up + x] + 0.5f * tmp[row + x] + 0.25f * tmp[down + x];
            }
        }
    }

    /** Rescales {@code values} in place to zero mean and unit standard deviation. */
    static void standardize(float[] values) {
        double sum = 0;
        double sumSq = 0;
        for (float v : values) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / values.length;
        double std = Math.sqrt(Math.max(sumSq / values.length - mean * mean, 1e-12));
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((values[i] - mean) / std);
        }
    }
}
