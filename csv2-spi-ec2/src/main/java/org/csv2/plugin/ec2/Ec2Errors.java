/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.plugin.ec2;

import java.util.Set;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps the AWS SDK's failures to {@link CloudException} reasons, by EC2 error code (see {@code
 * docs/ec2.md} for the table). Messages name the cloud, the call and AWS's own message and code.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class Ec2Errors {
  static final String NOT_FOUND_INSTANCE = "InvalidInstanceID.NotFound";

  private static final Set<String> CAPACITY =
      Set.of(
          "InsufficientInstanceCapacity",
          "InsufficientHostCapacity",
          "InsufficientReservedInstanceCapacity",
          "InsufficientCapacity",
          "SpotMaxPriceTooLow");
  private static final Set<String> QUOTA =
      Set.of(
          "VcpuLimitExceeded",
          "InstanceLimitExceeded",
          "MaxSpotInstanceCountExceeded",
          "ResourceLimitExceeded",
          "InsufficientFreeAddressesInSubnet");
  private static final Set<String> UNAVAILABLE =
      Set.of(
          "RequestLimitExceeded",
          "Throttling",
          "ThrottlingException",
          "ServiceUnavailable",
          "Unavailable",
          "InternalError",
          "InternalFailure",
          "RequestTimeout",
          "RequestTimeoutException");
  private static final Set<String> AUTHENTICATION =
      Set.of(
          "AuthFailure",
          "UnauthorizedOperation",
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "MissingAuthenticationToken",
          "ExpiredToken",
          "RequestExpired",
          "OptInRequired",
          "Blocked",
          "PendingVerification");

  private final String cloud;

  Ec2Errors(String cloud) {
    this.cloud = cloud;
  }

  /**
   * The EC2 error code of a failure, or the empty string when it has none (a client-side failure).
   *
   * @param e the SDK's exception
   * @return the code
   */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /**
   * The reason for a failure.
   *
   * @param e the SDK's exception
   * @return the reason
   */
  static Reason reason(SdkException e) {
    if (!(e instanceof AwsServiceException ase)) {
      // an SdkClientException: connection refused, timeouts (ApiCallTimeoutException), unreadable reply
      return Reason.UNAVAILABLE;
    }
    String code = code(e);
    if (CAPACITY.contains(code)) {
      return Reason.CAPACITY_UNAVAILABLE;
    }
    if (QUOTA.contains(code)) {
      return Reason.QUOTA_EXCEEDED;
    }
    if (UNAVAILABLE.contains(code)) {
      return Reason.UNAVAILABLE;
    }
    if (AUTHENTICATION.contains(code)) {
      return Reason.AUTHENTICATION;
    }
    if (code.endsWith(".NotFound") && !isRequestParameter(code)) {
      return Reason.NOT_FOUND;
    }
    int status = ase.statusCode();
    if (status >= 500 || status == 429) {
      return Reason.UNAVAILABLE;
    }
    if (status == 401 || status == 403) {
      return Reason.AUTHENTICATION;
    }
    // InvalidParameter*, InvalidAMIID.*, InvalidInstanceType, InvalidSubnetID.*, InvalidGroup.NotFound,
    // InvalidKeyPair.*, MissingParameter, and every other client error: an operator must fix it
    return Reason.INVALID_REQUEST;
  }

  /** Errors that name a parameter of a boot request (an operator's mistake, not a missing instance). */
  private static boolean isRequestParameter(String code) {
    return code.startsWith("InvalidAMIID.")
        || code.startsWith("InvalidSubnetID.")
        || code.startsWith("InvalidGroup.")
        || code.startsWith("InvalidKeyPair.")
        || code.startsWith("InvalidSecurityGroupID.")
        || code.startsWith("InvalidVpcID.")
        || code.startsWith("InvalidParameter");
  }

  /**
   * The exception to throw for a failed call.
   *
   * @param e the SDK's exception
   * @param what the call and its subject, such as {@code RunInstances of 2 m5.large}
   * @return the mapped exception, with {@code e} as cause
   */
  CloudException map(SdkException e, String what) {
    Reason reason = reason(e);
    return new CloudException(reason, message(e, what, reason), e);
  }

  private String message(SdkException e, String what, Reason reason) {
    StringBuilder b = new StringBuilder("cloud ").append(cloud).append(": ").append(what).append(" failed: ");
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String message = ase.awsErrorDetails().errorMessage();
      b.append(message == null || message.isBlank() ? "(no message)" : message.strip())
          .append(" (")
          .append(code(e).isEmpty() ? "HTTP " + ase.statusCode() : code(e))
          .append(')');
    } else {
      b.append(e.getMessage());
    }
    b.append(hint(reason));
    return b.toString();
  }

  private static String hint(Reason reason) {
    return switch (reason) {
      case AUTHENTICATION -> "; check the credentials (access-key-id/secret-access-key, profile) and their IAM permissions";
      case QUOTA_EXCEEDED -> "; raise the quota in the Service Quotas console or lower vcpu-quota/max-instances";
      case CAPACITY_UNAVAILABLE -> "; AWS has no capacity for this type now, csv2 will try other types";
      case UNAVAILABLE -> "; the call will be retried in a later cycle";
      case INVALID_REQUEST, NOT_FOUND -> "";
    };
  }
}
