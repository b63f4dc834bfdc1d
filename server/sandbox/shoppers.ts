// Shopper identity: the documented sandbox identity tokens (bwp-api.md §1.4) and what they mean.
import {validation} from './errors.ts';

export interface Shopper {
  shopperId: string;
  prime: boolean;
  via: 'LWA' | 'APAY';
}

export interface IdentityInput {
  lwaAccessToken?: {value: string; externalId?: string | null} | null;
  apayCheckoutSessionId?: {value: string; externalId: string} | null;
  idPToken?: string | null;
  identityProvider?: string | null;
}

const token = (type: string, value: string) => btoa(JSON.stringify({type, value}));

/** The sandbox shopper identity tokens, verbatim from "Manage shopper identity" (the non-Prime LWA one inferred). */
export const SANDBOX_SHOPPER_TOKENS = {
  /** Login with Amazon, Prime member (documented). */
  lwaPrime: token('ACCESS_TOKEN', 'sandbox-mocked-test-prime-shopper-access-token'),
  /** Login with Amazon, not a Prime member: the docs print the Prime token twice; this is the inferred one. */
  lwaNonPrime: token('ACCESS_TOKEN', 'sandbox-mocked-test-non-prime-shopper-access-token'),
  /** Amazon Pay checkout session, Prime member (documented). */
  apayPrime: token('CHECKOUT_SESSION_ID', 'sandbox-mocked-test-prime-shopper-checkout-session-id'),
  /** Amazon Pay checkout session, not a Prime member (documented). */
  apayNonPrime: token('CHECKOUT_SESSION_ID', 'sandbox-mocked-test-non-prime-shopper-checkout-session-id'),
  /** The sandbox's own: an LWA token that has expired (ExpiredIdpToken). */
  lwaExpired: token('ACCESS_TOKEN', 'sandbox-mocked-test-expired-shopper-access-token'),
  /** The sandbox's own: an Amazon Pay session that has expired (ExpiredIdpToken). */
  apayExpired: token('CHECKOUT_SESSION_ID', 'sandbox-mocked-test-expired-shopper-checkout-session-id'),
} as const;

const SHOPPERS = new Map<string, Shopper | 'expired'>([
  [SANDBOX_SHOPPER_TOKENS.lwaPrime, {shopperId: 'amzn1.account.SANDBOX-PRIME', prime: true, via: 'LWA'}],
  [
    SANDBOX_SHOPPER_TOKENS.lwaNonPrime,
    {shopperId: 'amzn1.account.SANDBOX-NONPRIME', prime: false, via: 'LWA'},
  ],
  [SANDBOX_SHOPPER_TOKENS.apayPrime, {shopperId: 'amzn1.account.SANDBOX-PRIME', prime: true, via: 'APAY'}],
  [
    SANDBOX_SHOPPER_TOKENS.apayNonPrime,
    {shopperId: 'amzn1.account.SANDBOX-NONPRIME', prime: false, via: 'APAY'},
  ],
  [SANDBOX_SHOPPER_TOKENS.lwaExpired, 'expired'],
  [SANDBOX_SHOPPER_TOKENS.apayExpired, 'expired'],
]);

/**
 * The shopper behind an identity input: undefined when none is given; InvalidIdpToken for a token the
 * sandbox did not issue (only the sandbox tokens work in a sandbox), ExpiredIdpToken for the expired ones.
 */
export function shopperOf(identity: IdentityInput | null | undefined): Shopper | undefined {
  if (!identity) return undefined;
  const given = [
    identity.lwaAccessToken?.value,
    identity.apayCheckoutSessionId?.value,
    identity.idPToken,
  ].filter((v): v is string => typeof v === 'string');
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    throw validation('InvalidIdpToken', 'Give one of lwaAccessToken, apayCheckoutSessionId or idPToken');
  }
  const shopper = SHOPPERS.get(given[0]!.trim());
  if (shopper === 'expired') throw validation('ExpiredIdpToken', 'The shopper identity token has expired');
  if (!shopper) {
    throw validation(
      'InvalidIdpToken',
      'The shopper identity token is not valid (the sandbox accepts only its sandbox shopper identity tokens)',
    );
  }
  const kind = identity.lwaAccessToken
    ? 'LWA'
    : identity.apayCheckoutSessionId
      ? 'APAY'
      : identity.identityProvider;
  if (kind && kind !== shopper.via) {
    throw validation(
      'InvalidIdpToken',
      `This token is not a ${kind === 'LWA' ? 'Login with Amazon' : 'Amazon Pay'} token`,
    );
  }
  return shopper;
}
