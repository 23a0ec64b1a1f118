package org.unmask.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a finished job leaves behind.
 *
 * @param result the machine-readable result ({@code result.json})
 * @param html a self-contained report with every user-supplied string escaped ({@code report.html})
 */
public record JobOutput(JsonNode result, String html) {}
