package com.factory.inspect.backend.openvino;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What OpenVINO reads for a model: the model file and, for an IR, its weights.
 *
 * <p>A {@link com.factory.inspect.api.model.ModelSource} gives one file, checked against one
 * SHA-256, and nothing next to it. An OpenVINO IR is two files (the {@code .xml} graph and the
 * {@code .bin} weights), so an IR model file is a zip holding both: one {@code *.xml} and at most one
 * {@code *.bin} (e.g. {@code zip surface.ir.zip surface.xml surface.bin}). The descriptor's checksum
 * then covers the weights too. A bare {@code .xml} is also taken, for IRs without weights.
 *
 * @param model the model file as OpenVINO reads it (ONNX bytes, or the IR's {@code .xml})
 * @param weights the IR's {@code .bin}, or null
 * @param description what was read, for messages, e.g. {@code IR surface.xml + surface.bin (2 MB)}
 */
record ModelFiles(byte[] model, byte[] weights, String description) {
    /** The largest part read from an IR zip: what a Java array holds. */
    static final long MAX_PART = Integer.MAX_VALUE - 16;

    /** The files in {@code bytes}, a model file of {@code format}. */
    static ModelFiles of(ModelFormat format, byte[] bytes, String name) throws InferenceException {
        if (ModelFormat.ONNX.equals(format)) {
            return new ModelFiles(bytes, null, "ONNX (" + size(bytes.length) + ")");
        }
        if (!ModelFormat.OPENVINO_IR.equals(format)) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is " + format);
        }
        if (isZip(bytes)) {
            return fromZip(bytes, name);
        }
        if (isXml(bytes)) {
            return new ModelFiles(bytes, null, "IR .xml without weights (" + size(bytes.length) + ")");
        }
        throw invalid(name, "is neither a zip holding the IR's .xml and .bin nor an IR .xml");
    }

    private static ModelFiles fromZip(byte[] bytes, String name) throws InferenceException {
        byte[] xml = null;
        byte[] bin = null;
        String xmlName = null;
        String binName = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String entry = e.getName();
                String lower = entry.toLowerCase(Locale.ROOT);
                if (e.isDirectory() || !(lower.endsWith(".xml") || lower.endsWith(".bin"))) {
                    continue; // e.g. a README or licence next to the model
                }
                boolean isXml = lower.endsWith(".xml");
                if (isXml ? xml != null : bin != null) {
                    throw invalid(name, "holds more than one IR " + (isXml ? ".xml" : ".bin") + " ("
                            + (isXml ? xmlName : binName) + ", " + entry + ")");
                }
                byte[] content = read(zip, entry, name);
                if (isXml) {
                    xml = content;
                    xmlName = entry;
                } else {
                    bin = content;
                    binName = entry;
                }
            }
        } catch (IOException e) {
            throw invalid(name, "is not a readable zip: " + e.getMessage());
        }
        if (xml == null) {
            throw invalid(name, "is a zip without an IR .xml" + (binName == null ? "" : " (only " + binName + ")"));
        }
        return new ModelFiles(xml, bin, "IR " + xmlName + " (" + size(xml.length) + ")"
                + (bin == null ? " without weights" : " + " + binName + " (" + size(bin.length) + ")"));
    }

    private static byte[] read(InputStream in, String entry, String name) throws IOException, InferenceException {
        byte[] content = in.readNBytes((int) MAX_PART + 1);
        if (content.length > MAX_PART) {
            throw invalid(name, "holds " + entry + " larger than " + size(MAX_PART));
        }
        return content;
    }

    static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    /** Starts with {@code <}, after an optional UTF-8 byte order mark and white space. */
    static boolean isXml(byte[] b) {
        int i = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < b.length && Character.isWhitespace(b[i])) {
            i++;
        }
        return i < b.length && b[i] == '<';
    }

    static String size(long bytes) {
        if (bytes < 10_000) {
            return bytes + " bytes";
        }
        return bytes < 10_000_000 ? (bytes + 512) / 1024 + " KiB" : (bytes + 524_288) / 1_048_576 + " MiB";
    }

    private static InferenceException invalid(String name, String what) {
        return new InferenceException(ErrorCode.MODEL_INVALID, name + " (OpenVINO IR) " + what
                + "; an IR model file is a zip holding the .xml and its .bin");
    }
}
