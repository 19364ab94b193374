import { type City, type Directory, KINDS_OF_NEED, type Need, SERVICE_KINDS, type Service } from "./catalog.js";

/** A point on Earth in degrees. */
export interface Point {
  lat: number;
  lon: number;
}

/** A service with how far it is, and whether that distance is to its building or only to its city's centre. */
export interface Ranked {
  service: Service;
  km: number;
  /** "address": the service's own coordinates; "city": its city's centre (distance is approximate). */
  precision: "address" | "city";
}

const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine), in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Where a service is: its building when known, else its city's centre; none without a city. */
export function placeOf(directory: Directory, service: Service): { point: Point; precision: Ranked["precision"] } | undefined {
  if (service.location) return { point: service.location, precision: "address" };
  const city = service.city === undefined ? undefined : directory.cities.get(service.city);
  return city ? { point: city, precision: "city" } : undefined;
}

/** The directory's city nearest to a point: where someone who shares a location is, roughly. */
export function nearestCity(directory: Directory, from: Point): City | undefined {
  let best: { city: City; km: number } | undefined;
  for (const city of directory.cities.values()) {
    const km = distanceKm(from, city);
    if (!best || km < best.km) best = { city, km };
  }
  return best?.city;
}

export interface RankOptions {
  /** Only these kinds (a filter the user chose). */
  need?: Need;
  /** The user's (or client's) citizenship: services only for other countries' citizens are left out. */
  citizenship?: string | null;
  /** The country the person is in (default: that of the nearest city): its services come first. */
  country?: string;
  /** How many (default 3). */
  limit?: number;
}

/** Whether the service is open to a citizen of this country (unknown citizenship: every service). */
export function servesCitizen(service: Service, citizenship: string | null | undefined): boolean {
  if (!service.citizens || !citizenship || citizenship === "other") return true;
  return service.citizens.includes(citizenship);
}

export function matchesNeed(service: Service, need: Need | undefined): boolean {
  return need === undefined || KINDS_OF_NEED[need].includes(service.kind);
}

const kindOrder = (service: Service) => SERVICE_KINDS.indexOf(service.kind);

/**
 * The services nearest to a point, nearest first — those in the person's own country before any
 * across a border; equally near ones (in the same city) by kind (embassy and consulate first).
 * Services without a place are left out. Pure: nothing is kept.
 */
export function nearest(directory: Directory, from: Point, options: RankOptions = {}): Ranked[] {
  const country = options.country ?? nearestCity(directory, from)?.country;
  const abroad = (entry: Ranked) => (entry.service.country === country ? 0 : 1);
  const ranked: Ranked[] = [];
  for (const service of directory.services) {
    if (!matchesNeed(service, options.need) || !servesCitizen(service, options.citizenship)) continue;
    const place = placeOf(directory, service);
    if (place) ranked.push({ service, km: distanceKm(from, place.point), precision: place.precision });
  }
  // Within a kilometre counts as the same place: then the kind decides, then the id (stable).
  ranked.sort(
    (a, b) =>
      abroad(a) - abroad(b) ||
      Math.round(a.km) - Math.round(b.km) ||
      kindOrder(a.service) - kindOrder(b.service) ||
      a.service.id.localeCompare(b.service.id),
  );
  return ranked.slice(0, options.limit ?? 3);
}

/** The services nearest to a city's centre (a stored city, or one the user picked). */
export function nearestToCity(directory: Directory, city: City, options: RankOptions = {}): Ranked[] {
  return nearest(directory, city, { country: city.country, ...options });
}

/** Words around a place name that do not name it ("г. Москва", "шаҳри Хуҷанд", "Moscow city"). */
const PLACE_WORDS = new Set(["г", "гор", "город", "ш", "шаҳри", "шаҳр", "шаар", "шаары", "шаҳар", "city", "town", "в", "in"]);

/** Folded for comparing what people type: lower case, ё as е, no punctuation, dashes or "г." / "city" words. */
export function foldPlaceName(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .split(/[\s.,;:!?()«»"'’`\-–—_/]+/u)
    .filter((word) => word !== "" && !PLACE_WORDS.has(word))
    .join(" ");
}

/** The directory's city that a typed place names ("Москва", "г. Санкт-Петербург", "spb"), if any. */
export function cityOfText(directory: Directory, typed: string | null | undefined): City | undefined {
  if (!typed) return undefined;
  const folded = foldPlaceName(typed);
  if (folded === "") return undefined;
  for (const city of directory.cities.values()) {
    const names = [city.key, ...Object.values(city.names), ...city.aliases].map(foldPlaceName);
    if (names.includes(folded)) return city;
  }
  // "Москва, Люблино" or "Moscow region": the first word that names a city.
  for (const city of directory.cities.values()) {
    const names = new Set([city.key, ...Object.values(city.names), ...city.aliases].map(foldPlaceName));
    if (folded.split(" ").some((word, index, words) => names.has(word) || names.has(words.slice(index, index + 2).join(" ")))) return city;
  }
  return undefined;
}

/**
 * What a lawyer may refer a client to: services in the client's city first, then the rest of
 * their country (nearest first when the city is known), then the hotlines that work from
 * anywhere; for a client elsewhere, every service. Citizenship leaves out other countries' missions.
 */
export function referralOptions(
  directory: Directory,
  client: { country: string; city?: string | null; citizenship?: string | null },
): Service[] {
  const city = cityOfText(directory, client.city);
  const served = directory.services.filter((service) => servesCitizen(service, client.citizenship));
  const inCountry = served.filter((service) => service.country === client.country);
  if (inCountry.length === 0) return [...served].sort((a, b) => kindOrder(a) - kindOrder(b) || a.id.localeCompare(b.id));
  const distance = (service: Service) => {
    const place = placeOf(directory, service);
    return city && place ? distanceKm(city, place.point) : Number.POSITIVE_INFINITY;
  };
  const local = (service: Service) => (city !== undefined && service.city === city.key ? 0 : 1);
  const ordered = [...inCountry].sort(
    (a, b) =>
      local(a) - local(b) || Math.round(distance(a)) - Math.round(distance(b)) || kindOrder(a) - kindOrder(b) || a.id.localeCompare(b.id),
  );
  const remote = served.filter((service) => service.remote && service.country !== client.country);
  return [...ordered, ...remote];
}
