package com.factory.inspect.api.decision;

/** What the reject gate did. */
public enum Actuation {
    /** Not asked to fire (the part passed). */
    NONE,
    /** Fired. */
    FIRED,
    /** Already fired for this camera and sequence: not fired again. */
    ALREADY_FIRED,
    /** The deadline had passed, so firing would have hit the wrong part: not fired. */
    TOO_LATE,
    /** The actuator failed. */
    FAILED
}
