/** The sealed family of typed model requests probes plan, and their answers. */
package org.unmask.core.request;
