package com.factory.inspect.backend.coral;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Finds Edge TPUs the way the kernel shows them, without opening them: PCIe and M.2 modules as
 * {@code /dev/apex_N} (the gasket/apex driver), USB Accelerators by vendor and product id in
 * {@code /sys/bus/usb/devices}. A USB Accelerator shows up as {@code 1a6e:089a} until libedgetpu
 * has loaded its firmware, then as {@code 18d1:9302}; both are matched with their product id,
 * since vendor {@code 18d1} (Google) alone also matches phones and other gadgets.
 */
final class EdgeTpuDevices {
    static final Path DEV = Path.of("/dev");
    static final Path USB_DEVICES = Path.of("/sys/bus/usb/devices");

    private static final Pattern APEX = Pattern.compile("apex_\\d+");

    private EdgeTpuDevices() {
    }

    /** Whether a USB vendor and product id (hex, as sysfs writes them) are an Edge TPU's. */
    static boolean isUsbEdgeTpu(String vendor, String product) {
        String id = vendor.strip().toLowerCase(Locale.ROOT) + ":" + product.strip().toLowerCase(Locale.ROOT);
        return id.equals("1a6e:089a") || id.equals("18d1:9302");
    }

    /**
     * The Edge TPUs present, e.g. {@code PCIe /dev/apex_0} or {@code USB 18d1:9302 at 2-1}.
     *
     * @param type {@code usb} or {@code pci} for only that kind, anything else for both
     */
    static List<String> find(Path dev, Path usbDevices, String type) {
        List<String> found = new ArrayList<>();
        if (!type.equals("usb")) {
            for (Path p : list(dev)) {
                if (APEX.matcher(p.getFileName().toString()).matches()) {
                    found.add("PCIe " + p);
                }
            }
        }
        if (!type.equals("pci")) {
            for (Path p : list(usbDevices)) {
                String vendor = read(p.resolve("idVendor"));
                String product = read(p.resolve("idProduct"));
                if (isUsbEdgeTpu(vendor, product)) {
                    found.add("USB " + vendor + ":" + product + " at " + p.getFileName());
                }
            }
        }
        found.sort(null);
        return found;
    }

    /** Why none was found: what was looked at. */
    static String notFound(Path dev, Path usbDevices, String type) {
        String pci = "no " + dev.resolve("apex_N") + " (PCIe/M.2, needs the gasket/apex driver)";
        String usb = "no USB Accelerator (1a6e:089a or 18d1:9302) in " + usbDevices;
        return "no Edge TPU: " + (type.equals("usb") ? usb : type.equals("pci") ? pci : pci + " and " + usb);
    }

    private static List<Path> list(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException | SecurityException e) {
            // absent or unreadable: nothing found there
        }
        return entries;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
