package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a configured device is among the ones OpenVINO reports. */
class DevicesTest {
    @Test
    void aDeviceIsPresentUnderItsOwnOrANumberedName() {
        assertTrue(Devices.present("CPU", List.of("CPU")));
        assertTrue(Devices.present("GPU", List.of("CPU", "GPU")));
        assertTrue(Devices.present("GPU", List.of("CPU", "GPU.0", "GPU.1")));
        assertTrue(Devices.present("GPU.1", List.of("CPU", "GPU.0", "GPU.1")));
        assertTrue(Devices.present("GPU.0", List.of("CPU", "GPU")), "a lone GPU is also GPU.0");
        assertTrue(Devices.present("NPU", List.of("CPU", "NPU")));
    }

    @Test
    void aMissingDeviceIsNotPresent() {
        assertFalse(Devices.present("GPU", List.of("CPU")));
        assertFalse(Devices.present("GPU.2", List.of("CPU", "GPU.0", "GPU.1")));
        assertFalse(Devices.present("GPU.1", List.of("CPU", "GPU")));
        assertFalse(Devices.present("NPU", List.of("CPU", "GPU")));
        assertFalse(Devices.present("CPU", List.of("GPU")));
    }

    @Test
    void autoNeedsAnyDevice() {
        assertTrue(Devices.present("AUTO", List.of("CPU")));
        assertFalse(Devices.present("AUTO", List.of()));
    }

    @Test
    void saysWhatIsAvailableInstead() {
        assertEquals("device GPU not present; available: CPU", Devices.notPresent("GPU", List.of("CPU")));
        assertEquals("device NPU not present; available: CPU, GPU.0, GPU.1",
                Devices.notPresent("NPU", List.of("CPU", "GPU.0", "GPU.1")));
        assertEquals("device CPU not present; available: none", Devices.notPresent("CPU", List.of()));
    }
}
