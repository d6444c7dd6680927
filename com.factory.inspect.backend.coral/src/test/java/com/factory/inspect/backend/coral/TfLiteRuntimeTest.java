package com.factory.inspect.backend.coral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loading TensorFlow Lite once, and saying why it failed. */
class TfLiteRuntimeTest {
    @Test
    void loadsOnceAndKnowsItsVersion() throws Exception {
        TfLiteRuntime runtime = TfLiteRuntime.get();
        assertTrue(runtime.available(), runtime.failure());
        assertSame(runtime, TfLiteRuntime.get());
        assertEquals("", runtime.failure());
        assertTrue(runtime.version().matches("2\\.21\\.\\d+"), runtime.version());
        assertTrue(runtime.library().getFile().getName().startsWith("libjnitensorflowlite"),
                runtime.library().getFile().toString());
    }

    @Test
    void tellsWhatToDoWhenJavaLangIsNotOpen() {
        // What JavaCPP's Loader throws from a class initializer in OSGi on Java 17 without --add-opens.
        Throwable failure = new ExceptionInInitializerError(new RuntimeException("Unable to make void "
                + "java.lang.Runtime.load0(java.lang.Class,java.lang.String) accessible: module java.base does not "
                + "\"opens java.lang\" to unnamed module @49ec71f8"));
        assertEquals(" (start the JVM with --add-opens java.base/java.lang=ALL-UNNAMED)", TfLiteRuntime.hint(failure));
        assertEquals("", TfLiteRuntime.hint(new UnsatisfiedLinkError("libstdc++.so.6: version GLIBCXX_3.4.30 not found")));
        assertEquals("ExceptionInInitializerError caused by RuntimeException: boom",
                TfLiteRuntime.describe(new ExceptionInInitializerError(new RuntimeException("boom"))));
    }
}
