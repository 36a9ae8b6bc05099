/**
 * The cloud-init user data of a VM: {@link org.csv2.core.userdata.UserDataComposer} selects the
 * operator's documents, renders their {@code {{variable}}} placeholders with {@link
 * org.csv2.core.userdata.BootVariables} and joins them into one multipart MIME message, gzipped
 * when large. A job can choose among the operator's documents; it can never make the engine read a
 * file or a URL.
 */
@NullMarked
package org.csv2.core.userdata;

import org.jspecify.annotations.NullMarked;
