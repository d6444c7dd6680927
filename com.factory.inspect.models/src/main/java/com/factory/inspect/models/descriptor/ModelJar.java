package com.factory.inspect.models.descriptor;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Model bundles as files: reads the models a model jar carries before it is installed (so a deploy
 * can verify them first), and writes model jars (the packaging tool).
 */
public final class ModelJar {
    /** Bundle symbolic name prefix the packaging tool uses when none is given. */
    public static final String DEFAULT_SYMBOLIC_NAME_PREFIX = "com.factory.inspect.model.";
    // A fixed timestamp: the same inputs give the same jar, byte for byte.
    private static final long ENTRY_TIME = 1_577_836_800_000L; // 2020-01-01T00:00:00Z

    private ModelJar() {
    }

    /**
     * The models a model jar carries, each readable and checked like an installed one.
     *
     * @param jar the jar's bytes
     * @param origin where it comes from, for messages (a path or URL)
     * @throws DescriptorException if it is not a jar, not a model bundle, or a descriptor is invalid
     */
    public static List<ModelSource> read(byte[] jar, String origin) throws DescriptorException {
        Map<String, byte[]> entries = new HashMap<>();
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new DescriptorException(origin + " is not a readable jar: " + e.getMessage(), e);
        }
        if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
            throw new DescriptorException(origin + " is not an OSGi bundle (no Bundle-SymbolicName in its manifest)");
        }
        String bundle = manifest.getMainAttributes().getValue("Bundle-SymbolicName") + " "
                + manifest.getMainAttributes().getValue("Bundle-Version");
        List<ModelSource> models = new ArrayList<>();
        for (CapabilityHeader.Capability c : CapabilityHeader.parse(
                manifest.getMainAttributes().getValue("Provide-Capability"))) {
            if (!c.namespace().equals(ModelBundleFormat.NAMESPACE)) {
                continue;
            }
            String where = origin + " (" + bundle + ")";
            String path = c.attributes().get(ModelBundleFormat.ATTRIBUTE_DESCRIPTOR);
            if (path == null || !entries.containsKey(path)) {
                throw new DescriptorException(where + ": descriptor " + path + " is not in the jar");
            }
            ModelDescriptor d = DescriptorProperties.read(new ByteArrayInputStream(entries.get(path)), where + " " + path);
            String name = c.attributes().get(ModelBundleFormat.ATTRIBUTE_NAME);
            String version = c.attributes().get(ModelBundleFormat.ATTRIBUTE_VERSION);
            if (!d.name().equals(name) || version == null || !ModelDescriptor.sameVersion(d.version(), version)) {
                throw new DescriptorException(where + ": capability says " + name + ":" + version + " but descriptor "
                        + path + " says " + d.coordinates());
            }
            models.add(new InMemory(d, entries.get(d.file()), where));
        }
        if (models.isEmpty()) {
            throw new DescriptorException(origin + " (" + bundle + ") is not a model bundle: it provides no "
                    + ModelBundleFormat.NAMESPACE + " capability");
        }
        return models;
    }

    /**
     * Writes a model bundle carrying one model: the model file, its descriptor and the capability.
     *
     * @param descriptor the descriptor; its {@code file} is where the model goes in the jar
     * @param model the model file's bytes (their SHA-256 must be the descriptor's)
     * @param symbolicName bundle symbolic name
     */
    public static void write(ModelDescriptor descriptor, byte[] model, String symbolicName, OutputStream out)
            throws IOException {
        String actual = Sha256.hex(model);
        if (!actual.equals(descriptor.sha256())) {
            throw new IllegalArgumentException("model file has SHA-256 " + actual + ", the descriptor says "
                    + descriptor.sha256());
        }
        String descriptorPath = "model/" + descriptor.name() + ".properties";
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", descriptor.version());
        a.putValue("Bundle-Name", "Model " + descriptor.coordinates());
        a.putValue("Bundle-Description", "Model bundle: " + descriptor.name() + " " + descriptor.version() + " ("
                + descriptor.format() + "), labels " + descriptor.outputLabels());
        a.putValue("Provide-Capability", ModelBundleFormat.NAMESPACE + ";" + ModelBundleFormat.ATTRIBUTE_NAME + "=\""
                + descriptor.name() + "\";" + ModelBundleFormat.ATTRIBUTE_VERSION + ":Version=\"" + descriptor.version()
                + "\";" + ModelBundleFormat.ATTRIBUTE_FORMAT + "=\"" + descriptor.format() + "\";"
                + ModelBundleFormat.ATTRIBUTE_DESCRIPTOR + "=\"" + descriptorPath + "\"");
        try (JarOutputStream jar = new JarOutputStream(out)) {
            JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
            m.setTime(ENTRY_TIME);
            jar.putNextEntry(m);
            manifest.write(jar);
            jar.closeEntry();
            put(jar, descriptorPath, DescriptorProperties.write(descriptor).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put(jar, descriptor.file(), model);
        }
    }

    /** {@link #write} into a byte array. */
    public static byte[] toBytes(ModelDescriptor descriptor, byte[] model, String symbolicName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 4096);
        write(descriptor, model, symbolicName, out);
        return out.toByteArray();
    }

    private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setTime(ENTRY_TIME);
        jar.putNextEntry(e);
        jar.write(bytes);
        jar.closeEntry();
    }

    /** A model read from a jar that is not installed. */
    private record InMemory(ModelDescriptor descriptor, byte[] bytes, String origin) implements ModelSource {
        @Override
        public byte[] readModel() throws InferenceException {
            if (bytes == null) {
                throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "model " + descriptor.coordinates() + " in "
                        + origin + ": file " + descriptor.file() + " is not in the jar");
            }
            Sha256.requireMatch(descriptor, bytes, origin);
            return bytes.clone();
        }
    }
}
