package com.factory.inspect.backend.tensorrt;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Serialized engines on disk, one file per {@link EngineKey}. A file holds the key it was built for
 * and a SHA-256 of the engine, and is only used when both match: a truncated, damaged or foreign
 * file (another key under the same name, another program's file) is deleted with a log line, so that
 * the engine is built again. Files are written under a temporary name and moved into place, so a
 * reader never sees half a file, even if the JVM dies while writing.
 *
 * <p>Layout: {@code "FIENGINE"}, format version (int), key length (int) and key (UTF-8), engine
 * length (long) and engine, SHA-256 of the engine (32 bytes); numbers big-endian.
 */
final class EngineCache {
    static final byte[] MAGIC = "FIENGINE".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    private static final int MAX_KEY_BYTES = 64 * 1024;
    private static final int DIGEST_BYTES = 32;
    private static final Logger LOG = System.getLogger(EngineCache.class.getName());

    private final Path directory;

    EngineCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    /** Where the engine for {@code key} is kept. */
    Path file(EngineKey key) {
        return directory.resolve(key.fileName());
    }

    /**
     * The engine for {@code key}, if a valid file for exactly this key is there. An unusable file is
     * deleted (and logged) so that the engine is built again; an unreadable one is only logged.
     */
    Optional<byte[]> read(EngineKey key) {
        Path file = file(key);
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "TensorRT engine cache file {0} cannot be read ({1}); building the engine for {2} "
                    + "again", file, e.toString(), key.describe());
            return Optional.empty();
        }
        Decoded decoded = decode(all, key);
        if (decoded.engine() == null) {
            discard(file, key, decoded.problem());
            return Optional.empty();
        }
        return Optional.of(decoded.engine());
    }

    /** Forgets the engine for {@code key} (TensorRT refused to load it), with the reason in the log. */
    void discard(EngineKey key, String problem) {
        discard(file(key), key, problem);
    }

    /** Stores {@code engine} as the engine for {@code key}, replacing any file of that name. */
    void write(EngineKey key, byte[] engine) throws IOException {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, key.fileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer data = ByteBuffer.wrap(encode(key, engine));
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                channel.force(true); // on disk before the move makes it visible
            }
            try {
                Files.move(temp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(key), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The bytes of a cache file for {@code key} and {@code engine}. */
    static byte[] encode(EngineKey key, byte[] engine) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(engine.length + 1024);
            DataOutputStream data = new DataOutputStream(bytes);
            byte[] keyBytes = key.canonical().getBytes(StandardCharsets.UTF_8);
            data.write(MAGIC);
            data.writeInt(FORMAT);
            data.writeInt(keyBytes.length);
            data.write(keyBytes);
            data.writeLong(engine.length);
            data.write(engine);
            data.write(sha256(engine));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** The engine of a cache file's bytes, or what is wrong with them. */
    static Decoded decode(byte[] file, EngineKey key) {
        ByteBuffer in = ByteBuffer.wrap(file);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return Decoded.problem("it is not an engine cache file (no FIENGINE header)");
            }
            int format = in.getInt();
            if (format != FORMAT) {
                return Decoded.problem("it has cache format " + format + ", this backend reads " + FORMAT);
            }
            int keyLength = in.getInt();
            if (keyLength < 0 || keyLength > MAX_KEY_BYTES || keyLength > in.remaining()) {
                return Decoded.problem("its key length " + keyLength + " is impossible (damaged or truncated)");
            }
            byte[] keyBytes = new byte[keyLength];
            in.get(keyBytes);
            String stored = new String(keyBytes, StandardCharsets.UTF_8);
            if (!stored.equals(key.canonical())) {
                return Decoded.problem("it was built for another key (" + stored.replace('\n', ' ').trim() + ")");
            }
            long engineLength = in.getLong();
            if (engineLength <= 0 || engineLength != (long) in.remaining() - DIGEST_BYTES) {
                return Decoded.problem("its engine length " + engineLength + " does not fit the " + in.remaining()
                        + " bytes left (truncated or damaged)");
            }
            byte[] engine = new byte[(int) engineLength];
            in.get(engine);
            byte[] digest = new byte[DIGEST_BYTES];
            in.get(digest);
            if (!MessageDigest.isEqual(digest, sha256(engine))) {
                return Decoded.problem("its engine does not match its SHA-256 (damaged)");
            }
            return new Decoded(engine, "");
        } catch (BufferUnderflowException e) {
            return Decoded.problem("it ends early (truncated)");
        }
    }

    /** A decoded file: the engine, or null and why not. */
    record Decoded(byte[] engine, String problem) {
        static Decoded problem(String problem) {
            return new Decoded(null, problem);
        }
    }

    private static void discard(Path file, EngineKey key, String problem) {
        LOG.log(Level.WARNING, "TensorRT engine cache file {0} is not usable: {1}; deleting it and building the "
                + "engine for {2} again", file, problem, key.describe());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete " + file + "; it is replaced when the engine is built", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
