package com.factory.inspect.gate.defectlog;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.InspectionResult;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Keeps failed frames on local disk, each as a PNG a person can open plus a JSON file with the
 * result, in a folder bounded by size and count (oldest entries go first). Writing happens on its
 * own thread behind a bounded queue: the inspection loop never waits for the disk, and when the
 * disk is full or slow, entries are dropped and counted instead.
 */
public final class DefectLog implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DefectLog.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int QUEUE_CAPACITY = 64;

    private final Path folder;
    private final long maxBytes;
    private final int maxEntries;
    private final Clock clock;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ArrayDeque<Stored> stored = new ArrayDeque<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private long storedBytes;
    private boolean failing;
    private volatile boolean closed;

    private record Entry(InspectionResult result, Frame frame, long wallMillis) {
    }

    private record Stored(String baseName, long bytes) {
    }

    /**
     * Opens (creating if needed) a defect log folder and starts its writer thread.
     *
     * @param maxBytes total size bound of the folder's entries
     * @param maxEntries bound on the number of entries (image + metadata pairs)
     */
    public DefectLog(Path folder, long maxBytes, int maxEntries, Clock clock) {
        this.folder = folder;
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.clock = clock;
        scanExisting();
        this.writer = new Thread(this::writeLoop, "inspect-defect-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** The folder entries go to. */
    public Path folder() {
        return folder;
    }

    /** Queues a failed frame for writing; returns false (and counts it) if the writer is behind. */
    public boolean offer(InspectionResult result, Frame frame) {
        if (closed || !queue.offer(new Entry(result, frame, clock.millis()))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Entries written since start. */
    public long written() {
        return written.sum();
    }

    /** Entries dropped because the writer was behind or the disk failed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Stops the writer after it has written what is queued (bounded wait). */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        while (true) {
            Entry entry;
            try {
                entry = closed ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                entry = queue.poll();
            }
            if (entry == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                write(entry);
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.log(Level.ERROR, "defect log: could not write an entry for " + entry.result().cameraId() + "#"
                        + entry.result().sequence(), e);
            }
        }
    }

    private void write(Entry entry) {
        InspectionResult r = entry.result();
        String base = STAMP.format(java.time.Instant.ofEpochMilli(entry.wallMillis())) + "_" + safe(r.cameraId()) + "_"
                + String.format("%09d", r.sequence());
        Path image = folder.resolve(base + ".png");
        Path metadata = folder.resolve(base + ".json");
        try {
            Files.createDirectories(folder);
            byte[] png = PngEncoder.encode(entry.frame());
            byte[] json = DefectJson.of(r, entry.frame(), entry.wallMillis(), image.getFileName().toString())
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(image, png);
            Files.write(metadata, json);
            synchronized (stored) {
                stored.addLast(new Stored(base, png.length + json.length));
                storedBytes += png.length + json.length;
            }
            written.increment();
            enforceBounds();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "defect log: writing to {0} again", folder);
            }
        } catch (IOException e) {
            dropped.increment();
            deleteQuietly(image);
            deleteQuietly(metadata);
            if (!failing) {
                failing = true;
                LOG.log(Level.ERROR, "defect log: cannot write to {0} ({1}); failed frames are not logged until "
                        + "this clears, inspection goes on", folder, e.toString());
            }
        }
    }

    private void enforceBounds() {
        List<Stored> evict = new ArrayList<>();
        synchronized (stored) {
            while (!stored.isEmpty() && (storedBytes > maxBytes || stored.size() > maxEntries)) {
                Stored oldest = stored.removeFirst();
                storedBytes -= oldest.bytes();
                evict.add(oldest);
            }
        }
        for (Stored s : evict) {
            deleteQuietly(folder.resolve(s.baseName() + ".png"));
            deleteQuietly(folder.resolve(s.baseName() + ".json"));
        }
    }

    /** Picks up entries a previous run left, oldest first (names start with a UTC timestamp). */
    private void scanExisting() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot > 0 && (name.endsWith(".png") || name.endsWith(".json"))) {
                    long size;
                    try {
                        size = Files.size(p);
                    } catch (IOException e) {
                        size = 0;
                    }
                    sizes.merge(name.substring(0, dot), size, Long::sum);
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "defect log: cannot list {0}: {1}", folder, e.toString());
        }
        sizes.forEach((base, bytes) -> {
            stored.addLast(new Stored(base, bytes));
            storedBytes += bytes;
        });
        enforceBounds();
    }

    private static String safe(String cameraId) {
        return cameraId.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "defect log: cannot delete {0}: {1}", p, e.toString());
        }
    }
}
