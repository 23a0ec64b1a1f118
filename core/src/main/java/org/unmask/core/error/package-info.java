/** The small checked-exception hierarchy shared by every module; front doors map it to exit codes. */
package org.unmask.core.error;
