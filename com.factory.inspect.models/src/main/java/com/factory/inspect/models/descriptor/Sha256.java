package com.factory.inspect.models.descriptor;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of model files, as lower-case hex. */
public final class Sha256 {

    private Sha256() {
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Checks that {@code bytes} are the model file {@code descriptor} describes.
     *
     * @param origin where the model comes from, for the message
     * @throws InferenceException {@code CHECKSUM_MISMATCH} naming the model, its origin and both sums
     */
    public static void requireMatch(ModelDescriptor descriptor, byte[] bytes, String origin)
            throws InferenceException {
        String actual = hex(bytes);
        if (!actual.equals(descriptor.sha256())) {
            throw new InferenceException(ErrorCode.CHECKSUM_MISMATCH, "model " + descriptor.coordinates() + " in "
                    + origin + ": " + descriptor.file() + " has SHA-256 " + actual + ", the descriptor says "
                    + descriptor.sha256());
        }
    }
}
