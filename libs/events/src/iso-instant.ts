/** All instants are ISO 8601 with the Vietnam offset, e.g. `2026-04-01T10:05:48+07:00`. */
export type IsoInstant = string;
