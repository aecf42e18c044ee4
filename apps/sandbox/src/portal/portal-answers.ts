/**
 * Answers in the national portal's style: `error_code` as a string, a Vietnamese `message`.
 * Success messages contain "thành công" (Thanh Hóa checks for it); failures never do, and "đã tồn tại"
 * comes with code "3" (DOMAIN §4.2). The exact texts of the real portal are not public.
 */
export interface PortalStyleAnswer {
  error_code: string;
  message: string;
  session?: string;
  result?: unknown[];
}

export const answers = {
  loggedIn: (session: string): PortalStyleAnswer => ({
    error_code: '0',
    message: 'Đăng nhập thành công',
    session,
  }),
  badCredentials: (): PortalStyleAnswer => ({
    error_code: '-1',
    message: 'Tên đăng nhập hoặc mật khẩu không đúng',
  }),
  staleSession: (): PortalStyleAnswer => ({
    error_code: '-1',
    message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại',
  }),
  synced: (count: number): PortalStyleAnswer => ({
    error_code: '0',
    message: `Đồng bộ thành công ${count} hồ sơ`,
  }),
  progressSaved: (count: number): PortalStyleAnswer => ({
    error_code: '0',
    message: `Cập nhật tiến độ thành công ${count} bản ghi`,
  }),
  /**
   * Thanh Hóa's URLs most likely reach a provincial connector rather than the portal itself
   * (docs/research/wire-formats.md §2.1); the sandbox gives that path "-3", the other code the
   * senders accept, so both spellings get exercised.
   */
  alreadyExists: (codes: readonly string[], errorCode: '3' | '-3' = '3'): PortalStyleAnswer => ({
    error_code: errorCode,
    message: `Hồ sơ ${codes.join(', ')} đã tồn tại trên hệ thống`,
  }),
  found: (dossiers: unknown[]): PortalStyleAnswer => ({
    error_code: '0',
    message: dossiers.length > 0 ? 'Tra cứu thành công' : 'Tra cứu thành công, không tìm thấy hồ sơ',
    result: dossiers,
  }),
  /** LayDanhSachTTHC / LayThuTuc; an unknown code is an empty `result`, as for TraCuuHoSo. */
  catalogue: (result: unknown[]): PortalStyleAnswer => ({
    error_code: '0',
    message: result.length > 0 ? 'Lấy dữ liệu thành công' : 'Không tìm thấy thủ tục hành chính',
    result,
  }),
  invalid: (problem: string): PortalStyleAnswer => ({
    error_code: '-1',
    message: `Dữ liệu không hợp lệ: ${problem}`,
  }),
  unknownService: (service: string): PortalStyleAnswer => ({
    error_code: '-1',
    message: `Dịch vụ không được hỗ trợ: ${service}`,
  }),
  /** Fault `reject`: the portal is up but refuses everything. */
  refused: (): PortalStyleAnswer => ({
    error_code: '-1',
    message: 'Hệ thống đang bận, không xử lý được yêu cầu',
  }),
};
