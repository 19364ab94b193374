/**
 * `npm run doctor`: the checklist a volunteer runs on the server — the token, the staff group and
 * the bot's rights there, the lawyers, the admins, webhook or polling, the database, the holiday
 * data — each line ✔ or ✗ with the fix. Exits with 1 when anything blocks normal work.
 */
import { existsSync } from "node:fs";
import { doctor } from "../src/ops/doctor.js";

if (existsSync(".env")) process.loadEnvFile(".env");
process.exitCode = await doctor(process.env, { print: (text) => console.log(text) });
