/**
 * The OpenStack cloud driver ({@code driver: openstack}), built on OpenStack4j with its OkHttp
 * connector. Only {@link org.csv2.plugin.openstack.OpenStackCloudDriverProvider} is public; the
 * engine finds it through {@link java.util.ServiceLoader}.
 */
@NullMarked
package org.csv2.plugin.openstack;

import org.jspecify.annotations.NullMarked;
