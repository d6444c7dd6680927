package com.factory.inspect.camera.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Defects the synthetic camera can draw. */
public enum DefectType {
    /** Thin low-contrast line, straight or slightly curved, bright or dark. */
    SCRATCH,
    /** Small dark dot, sometimes a cluster (porosity). */
    PIT,
    /** Jagged dark polyline, sometimes branched. */
    CRACK,
    /** Soft low-contrast blob. */
    STAIN;

    /** Lower-case name as used in configurations and annotations. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses names such as {@code scratch,pit}; every element may itself be a comma-separated list.
     *
     * @throws IllegalArgumentException on an unknown name or if none is given
     */
    public static Set<DefectType> parse(String... lists) {
        Set<DefectType> types = EnumSet.noneOf(DefectType.class);
        List<String> unknown = new ArrayList<>();
        for (String list : lists) {
            for (String name : list.split(",")) {
                String trimmed = name.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                try {
                    types.add(valueOf(trimmed.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    unknown.add(trimmed);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown defect types " + unknown + ", known are scratch, pit, crack, stain");
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one defect type is needed (scratch, pit, crack, stain)");
        }
        return types;
    }
}
