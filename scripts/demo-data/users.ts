/**
 * Demo merchants and buyers. Ids and emails are stable (`usr_demo_m0001`, `merchant1@demo.crossdock`)
 * so seeding twice inserts nothing new and docs can name the accounts.
 */
import type { UserRow } from "../../src/flows/accounts/schema";
import { intBetween, pick, type Random } from "./prng";

/** Every demo account signs in with this password; the README prints it. */
export const DEMO_PASSWORD = "demo-password-1";

/** The two accounts the README tells people to sign in with. */
export const DEMO_ACCOUNTS = {
  merchant: { id: "usr_demo_merchant", email: "merchant@demo.crossdock", name: "Demo Merchant" },
  buyer: { id: "usr_demo_buyer", email: "buyer@demo.crossdock", name: "Demo Buyer" },
} as const;

/** A user row minus the password hash, which the seeding script computes (hashing is not pure). */
export type DemoUser = Omit<UserRow, "passwordHash" | "role"> & { role: "merchant" | "buyer" };

const SHOP_WORDS = ["Harbor", "Maple", "Northwind", "Cobalt", "Juniper", "Ember", "Atlas", "Willow"];
const SHOP_KINDS = ["Goods", "Supply Co.", "Trading", "Market", "Outfitters", "Workshop", "Studio"];
const FIRST = ["Ava", "Noah", "Mia", "Liam", "Sofia", "Ethan", "Zoe", "Mateo", "Priya", "Kenji", "Amara"];
const LAST = ["Garcia", "Smith", "Okafor", "Nguyen", "Rossi", "Kowalski", "Haddad", "Tanaka", "Silva"];
const DAY = 86_400_000;

const pad = (n: number) => String(n).padStart(4, "0");

/**
 * The two named demo accounts, then `merchants` and `buyers` generated ones, all created shortly
 * before a year ago so they predate every demo product.
 */
export function demoUsers(
  rnd: Random,
  counts: { merchants: number; buyers: number },
  now: number,
): DemoUser[] {
  const joined = () => now - 400 * DAY + intBetween(rnd, 0, 30) * DAY;
  const users: DemoUser[] = [
    { ...DEMO_ACCOUNTS.merchant, role: "merchant", createdAt: joined() },
    { ...DEMO_ACCOUNTS.buyer, role: "buyer", createdAt: joined() },
  ];
  for (let i = 1; i <= counts.merchants; i++) {
    const name = `${pick(rnd, SHOP_WORDS)} ${pick(rnd, SHOP_KINDS)}`;
    const id = `usr_demo_m${pad(i)}`;
    users.push({ id, email: `merchant${i}@demo.crossdock`, name, role: "merchant", createdAt: joined() });
  }
  for (let i = 1; i <= counts.buyers; i++) {
    const name = `${pick(rnd, FIRST)} ${pick(rnd, LAST)}`;
    const id = `usr_demo_b${pad(i)}`;
    users.push({ id, email: `buyer${i}@demo.crossdock`, name, role: "buyer", createdAt: joined() });
  }
  return users;
}
