/**
 * The Amazon EC2 cloud driver ({@code driver: ec2}), built on the AWS SDK for Java v2 with its
 * URL-connection HTTP client. Only {@link org.csv2.plugin.ec2.Ec2CloudDriverProvider} is public;
 * the engine finds it through {@link java.util.ServiceLoader}.
 */
@NullMarked
package org.csv2.plugin.ec2;

import org.jspecify.annotations.NullMarked;
