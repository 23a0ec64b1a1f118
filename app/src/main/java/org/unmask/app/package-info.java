/**
 * The application layer: what a front door (the CLI, the server, a user's JUnit test) asks for, done once. A front
 * door parses its input and calls {@link org.unmask.app.Audits}, {@link org.unmask.app.Experiments},
 * {@link org.unmask.app.Traces} or {@link org.unmask.app.Comparisons}; those open models by reference, size the
 * executor by {@link org.unmask.app.ExecutorPolicy}, run the engine modules and write the reports. No front door
 * holds bias logic, and no engine module knows a front door.
 */
package org.unmask.app;
