/**
 * The HTTP license and quota client: {@link io.openavathar.license.client.HttpLicenseClient},
 * speaking the license server protocol, and {@link
 * io.openavathar.license.client.DeviceFingerprint}, the id the server knows a device by.
 */
package io.openavathar.license.client;
