package com.factory.inspect.camera.folder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.camera.images.ImageFiles;
import com.factory.inspect.camera.images.Labels;
import com.factory.inspect.camera.images.RasterImage;
import com.factory.inspect.camera.common.CaptureFailedException;

/**
 * Walks a folder's images in name order, one per frame. Each lap lists the folder and reads
 * {@code labels.csv} again, so files added or removed take effect at the next lap. Unreadable files are
 * skipped (logged once per file version); a missing folder, or one without any readable image, is a
 * {@link CaptureFailedException}.
 */
final class FolderReplay {
    private static final Logger LOG = System.getLogger(FolderReplay.class.getName());

    private volatile FolderOptions options;
    private volatile String note = "";
    private volatile PixelFormat lastFormat = PixelFormat.MONO8;
    private volatile int lastWidth;
    private volatile int lastHeight;
    // Camera-thread state (guarded by this).
    private List<Path> files;
    private Path listedFolder;
    private Labels labels = Labels.NONE;
    private int next;
    private int deliveredThisLap;
    private final Set<String> reportedUnreadable = new HashSet<>();

    FolderReplay(FolderOptions options) {
        this.options = options;
    }

    /** New options; a new folder is listed at the next frame. */
    void setOptions(FolderOptions options) {
        this.options = options;
    }

    /** A note for the health detail, e.g. that a non-looping replay has finished; empty if none. */
    String note() {
        return note;
    }

    PixelFormat lastFormat() {
        return lastFormat;
    }

    int lastWidth() {
        return lastWidth;
    }

    int lastHeight() {
        return lastHeight;
    }

    /** The next readable image as a frame, {@code null} once a non-looping replay has finished. */
    synchronized Frame produce(long sequence) throws CaptureFailedException {
        FolderOptions o = options;
        if (files == null || !o.folder().equals(listedFolder)) {
            startLap(o);
        }
        for (int tries = 0; tries <= files.size(); tries++) {
            if (next >= files.size()) {
                if (!o.loop()) {
                    note = "replay finished after the last of " + files.size() + " images (loop is off)";
                    return null;
                }
                if (deliveredThisLap == 0) {
                    int skipped = files.size();
                    files = null;
                    throw new CaptureFailedException("folder " + o.folder() + " has no readable image (" + skipped
                            + " skipped)");
                }
                startLap(o);
            }
            Path file = files.get(next++);
            long captured = System.nanoTime();
            try {
                RasterImage image = ImageFiles.read(file);
                Labels.Label label = labels.of(file.getFileName().toString());
                Frame frame = image.toFrame(o.cameraId(), sequence, captured, label.truth(), label.annotation());
                deliveredThisLap++;
                note = "";
                lastFormat = image.format();
                lastWidth = image.width();
                lastHeight = image.height();
                return frame;
            } catch (IOException | RuntimeException e) {
                reportUnreadable(o, file, e);
            }
        }
        return null;
    }

    /** Why the folder cannot be replayed right now, or {@code null} if it looks replayable (cheap). */
    String probe() {
        Path folder = options.folder();
        if (!Files.isDirectory(folder)) {
            return Files.exists(folder) ? folder + " is not a folder" : "folder " + folder + " does not exist";
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ImageFiles::isImage)) {
            return entries.iterator().hasNext() ? null : emptyReason(folder);
        } catch (IOException | RuntimeException e) {
            return "cannot list folder " + folder + ": " + e.getMessage();
        }
    }

    private void startLap(FolderOptions o) throws CaptureFailedException {
        files = null;
        Path folder = o.folder();
        if (!Files.isDirectory(folder)) {
            throw new CaptureFailedException(
                    Files.exists(folder) ? folder + " is not a folder" : "folder " + folder + " does not exist");
        }
        List<Path> images;
        try (Stream<Path> entries = Files.list(folder)) {
            images = entries.filter(p -> ImageFiles.isImage(p) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CaptureFailedException("cannot list folder " + folder + ": " + e.getMessage());
        }
        if (images.isEmpty()) {
            throw new CaptureFailedException(emptyReason(folder));
        }
        if (!folder.equals(listedFolder)) {
            LOG.log(Level.INFO, "camera {0} replays {1} images from {2}", o.cameraId(), images.size(), folder);
        }
        labels = Labels.read(folder);
        files = images;
        listedFolder = folder;
        next = 0;
        deliveredThisLap = 0;
    }

    private void reportUnreadable(FolderOptions o, Path file, Exception e) {
        String version;
        try {
            version = file + "|" + Files.getLastModifiedTime(file) + "|" + Files.size(file);
        } catch (IOException gone) {
            version = file.toString();
        }
        if (reportedUnreadable.size() > 10_000) {
            reportedUnreadable.clear();
        }
        if (reportedUnreadable.add(version)) {
            LOG.log(Level.WARNING, "camera {0} skips unreadable image {1}: {2}", o.cameraId(), file, e.getMessage());
        }
    }

    private static String emptyReason(Path folder) {
        return "folder " + folder + " is empty: no PNG, JPEG or PGM images";
    }
}
