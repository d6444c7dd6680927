/**
 * Helpers for inference backends. Backends copy this package into themselves with
 * {@code -conditionalpackage: com.factory.inspect.backend.support}, so it is deliberately not
 * exported and has no run-time bundle of its own.
 */
package com.factory.inspect.backend.support;
