export const ADMIN_DATA_SOURCE = Symbol('ADMIN_DATA_SOURCE');
