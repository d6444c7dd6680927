package com.factory.inspect.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void readsDurationsAsATechnicianWritesThem() {
        assertEquals(Duration.ofSeconds(30), RunOptions.parse(List.of("--duration", "30s")).duration());
        assertEquals(Duration.ofSeconds(30), RunOptions.parse(List.of("--duration=30")).duration());
        assertEquals(Duration.ofMinutes(5), RunOptions.parse(List.of("--duration", "5m")).duration());
        assertEquals(Duration.ofHours(2), RunOptions.parse(List.of("--duration", "2h")).duration());
        assertEquals(Duration.ofMillis(1500), RunOptions.parse(List.of("--duration", "1.5s")).duration());
        assertEquals(Duration.ofMillis(250), RunOptions.parse(List.of("--duration", "250ms")).duration());
        assertNull(RunOptions.parse(List.of()).duration());
        assertTrue(RunOptions.parse(List.of("--help")).help());
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.parse(List.of("--speed", "3")));
        assertEquals("unknown option '--speed'", unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.parse(List.of("--duration")));
        assertTrue(missing.getMessage().contains("needs a time"), missing.getMessage());
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.parse(List.of("--duration", "soon")));
        assertTrue(garbage.getMessage().contains("'soon' is not a time"), garbage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse(List.of("--duration", "0s")));
    }

    @Test
    void demoCamerasHaveTheirOwnIdAndSeed() {
        String station = DefaultConfiguration.cameraConfiguration("station07", 7);
        assertTrue(station.contains("camera.id = station07"), station);
        assertTrue(station.contains("seed = 7"), station);
        assertTrue(station.contains("fps = 5"), station);
    }
}
