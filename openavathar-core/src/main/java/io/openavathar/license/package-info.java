/**
 * The license and quota SPI: free tier of one video per device per UTC day, Pro through a license
 * key usable on at most three devices. {@link io.openavathar.license.LicenseClient#unlimited()} for
 * self-hosted use; the HTTP client of the license server lives in {@code openavathar-license}.
 */
package io.openavathar.license;
