// Where a delivery goes: US postal codes to state, time zone and transit zone; address checks of the API.
import {validation} from './errors.ts';

export interface AddressInput {
  name?: string | null;
  streetAddress?: string | null;
  extendedAddress?: string | null;
  locality?: string | null;
  region?: string | null;
  postalCode?: string | null;
  countryCode?: string | null;
  phoneNumber?: string | null;
  contactNumber?: string | null;
}

export interface LocationInput {
  ipAddress?: string | null;
  shippingAddress?: AddressInput | null;
}

/** A checked destination. */
export interface Destination {
  postalCode: string;
  /** IANA zone the delivery day is counted in. */
  timeZone: string;
  /** 0–9 by the first digit of the ZIP code, or AK / HI. */
  transitZone: number | 'AK' | 'HI';
  /** Street, locality, region and postal code were all given: the date can be exact. */
  complete: boolean;
  /** The address as given, for AddressMismatch checks; undefined for an IP location. */
  address?: AddressInput;
  source: 'ip' | 'address' | 'default';
}

/** Non-US, non-continental territories and military regions the API refuses (InvalidDestination). */
export const UNSUPPORTED_REGIONS = [
  'AS',
  'FM',
  'GU',
  'MH',
  'MP',
  'PR',
  'PW',
  'VI',
  'AA',
  'AE',
  'AP',
] as const;

// The first digit of the ZIP code of each state (USPS national areas).
// prettier-ignore
const STATE_ZIP_DIGIT: Record<string, number> = {
  CT: 0, MA: 0, ME: 0, NH: 0, NJ: 0, RI: 0, VT: 0,
  DE: 1, NY: 1, PA: 1,
  DC: 2, MD: 2, NC: 2, SC: 2, VA: 2, WV: 2,
  AL: 3, FL: 3, GA: 3, MS: 3, TN: 3,
  IN: 4, KY: 4, MI: 4, OH: 4,
  IA: 5, MN: 5, MT: 5, ND: 5, SD: 5, WI: 5,
  IL: 6, KS: 6, MO: 6, NE: 6,
  AR: 7, LA: 7, OK: 7, TX: 7,
  AZ: 8, CO: 8, ID: 8, NM: 8, NV: 8, UT: 8, WY: 8,
  AK: 9, CA: 9, HI: 9, OR: 9, WA: 9,
};

const between = (prefix: number, low: number, high: number) => prefix >= low && prefix <= high;

/** Three-digit ZIP prefixes of Puerto Rico, the Virgin Islands, Guam and the Pacific islands, and APO/FPO. */
function unsupportedZip(zip: string): boolean {
  const prefix = Number(zip.slice(0, 3));
  return (
    between(prefix, 6, 9) || // PR, VI
    between(prefix, 90, 98) || // AE
    prefix === 340 || // AA
    between(prefix, 962, 966) || // AP
    prefix === 969 || // GU, MP, MH, FM, PW
    zip.startsWith('96799') // AS
  );
}

function timeZoneOf(zip: string): string {
  const prefix = Number(zip.slice(0, 3));
  if (between(prefix, 995, 999)) return 'America/Anchorage';
  if (between(prefix, 967, 968)) return 'Pacific/Honolulu';
  if (between(prefix, 850, 865)) return 'America/Phoenix';
  if (between(prefix, 889, 898)) return 'America/Los_Angeles';
  if (between(prefix, 350, 369) || between(prefix, 370, 385) || between(prefix, 386, 397))
    return 'America/Chicago';
  if (between(prefix, 590, 599) || between(prefix, 798, 799) || prefix === 885) return 'America/Denver';
  const digit = Number(zip[0]);
  if (digit <= 4) return 'America/New_York';
  if (digit <= 7) return 'America/Chicago';
  return digit === 8 ? 'America/Denver' : 'America/Los_Angeles';
}

function transitZoneOf(zip: string): Destination['transitZone'] {
  const prefix = Number(zip.slice(0, 3));
  if (between(prefix, 995, 999)) return 'AK';
  if (between(prefix, 967, 968)) return 'HI';
  return Number(zip[0]);
}

const present = (value: string | null | undefined) => typeof value === 'string' && value.trim().length > 0;

/** The destination of a shipping address, or the documented ValidationError. */
export function destinationOfAddress(address: AddressInput): Destination {
  const country = (address.countryCode ?? 'US').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) {
    throw validation('InvalidAddress', 'countryCode must be an ISO 3166 alpha-2 code', {
      field: 'countryCode',
    });
  }
  if (country !== 'US') {
    throw validation('InvalidDestination', `Buy with Prime does not deliver to ${country}`, {
      countryCode: country,
    });
  }
  const region = address.region?.trim().toUpperCase();
  if (region && (UNSUPPORTED_REGIONS as readonly string[]).includes(region)) {
    throw validation('InvalidDestination', `Buy with Prime does not deliver to ${region}`, {region});
  }
  const zip = address.postalCode?.trim() ?? '';
  if (!/^\d{5}(-\d{4})?$/.test(zip)) {
    throw validation('InvalidAddress', 'postalCode must be a US ZIP code (12345 or 12345-6789)', {
      field: 'postalCode',
    });
  }
  if (unsupportedZip(zip)) {
    throw validation('InvalidDestination', `Buy with Prime does not deliver to ZIP code ${zip}`, {
      postalCode: zip,
    });
  }
  if (region && !(region in STATE_ZIP_DIGIT)) {
    throw validation('InvalidAddress', `region ${region} is not a US state`, {field: 'region'});
  }
  if (region && STATE_ZIP_DIGIT[region] !== Number(zip[0])) {
    throw validation('InvalidAddress', `postalCode ${zip} is not in ${region}`, {field: 'postalCode'});
  }
  const parts = [address.streetAddress, address.locality, address.region];
  const given = parts.filter(present).length;
  if (given > 0 && given < parts.length) {
    throw validation(
      'InvalidAddress',
      'The address is incomplete: streetAddress, locality and region go together',
      {
        field: ['streetAddress', 'locality', 'region'][parts.findIndex((p) => !present(p))],
      },
    );
  }
  return {
    postalCode: zip.slice(0, 5),
    timeZone: timeZoneOf(zip),
    transitZone: transitZoneOf(zip),
    complete: given === parts.length,
    address,
    source: 'address',
  };
}

/** Seattle, the seed's recipient: where an unknown IP address or no location at all is placed. */
export const DEFAULT_POSTAL_CODE = '98109';

/**
 * The destination of a location input. An IP address is located by `locateIp` (the sandbox has no
 * geolocation database; by default every address is placed at DEFAULT_POSTAL_CODE).
 */
export function destinationOf(
  location: LocationInput | null | undefined,
  locateIp: (ip: string) => string | undefined = () => undefined,
): Destination {
  if (location?.shippingAddress) return destinationOfAddress(location.shippingAddress);
  const zip = (location?.ipAddress && locateIp(location.ipAddress)) || DEFAULT_POSTAL_CODE;
  return {
    postalCode: zip,
    timeZone: timeZoneOf(zip),
    transitZone: transitZoneOf(zip),
    complete: false,
    source: location?.ipAddress ? 'ip' : 'default',
  };
}

const normalize = (value: string | null | undefined) =>
  (value ?? '').trim().toLowerCase().replace(/[.,#]/g, '').replace(/\s+/g, ' ');

/** Same delivery address, ignoring case, punctuation, spacing and ZIP+4 (AddressMismatch otherwise). */
export function sameAddress(a: AddressInput, b: AddressInput): boolean {
  const fields = ['streetAddress', 'extendedAddress', 'locality', 'region'] as const;
  return (
    fields.every((f) => normalize(a[f]) === normalize(b[f])) &&
    normalize(a.postalCode).slice(0, 5) === normalize(b.postalCode).slice(0, 5) &&
    normalize(a.countryCode ?? 'US') === normalize(b.countryCode ?? 'US')
  );
}
