import { useContext, useEffect, useState } from 'react';
import { getJson } from '../api';
import { I18n } from '../i18n';
import { ErrorBox, when } from './common';

interface ConfigMapping {
  sourceSystem: string;
  localCode: string;
  nationalCode: string;
  version: string;
  updatedAt: string;
  overriddenBy: string | null;
}

/**
 * The local-code mappings of the sync service's configuration file, read-only, beside the console's:
 * marked "từ tệp cấu hình", and which of them a published console mapping overrides.
 */
export function ConfigMappings() {
  const { lang } = useContext(I18n);
  const vi = lang === 'vi';
  const [items, setItems] = useState<ConfigMapping[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getJson<{ items: ConfigMapping[] }>('/api/config-mappings').then((r) => setItems(r.items), setError);
  }, []);
  if (items === null && error === null) {
    return null;
  }
  return (
    <section className="card" data-testid="config-mappings">
      <h3>
        {vi ? 'Ánh xạ từ tệp cấu hình' : 'Mappings from the configuration file'}{' '}
        <span className="badge">{vi ? 'chỉ đọc' : 'read-only'}</span>
      </h3>
      <p className="muted">
        {vi
          ? 'Khai báo trong tệp cấu hình bên gửi của sync-service (procedureMappings); sửa trong tệp đó. Ánh xạ trên trang này, khi đã xuất bản, được ưu tiên hơn.'
          : 'Declared in the sync service’s senders file (procedureMappings); edit them there. A console mapping, once published, wins over them.'}
      </p>
      <ErrorBox error={error} />
      {items && items.length === 0 && <p className="muted">{vi ? 'Không có.' : 'None.'}</p>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{vi ? 'Hệ thống nguồn' : 'Source system'}</th>
              <th>{vi ? 'Mã địa phương' : 'Local code'}</th>
              <th>{vi ? 'Mã quốc gia' : 'National code'}</th>
              <th>{vi ? 'Nguồn' : 'From'}</th>
              <th>{vi ? 'Cập nhật' : 'Updated'}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={`${m.sourceSystem}/${m.localCode}`}>
                <td>{m.sourceSystem}</td>
                <td>
                  <code>{m.localCode}</code>
                </td>
                <td>
                  {m.overriddenBy ? <s>{m.nationalCode}</s> : m.nationalCode}
                  {m.overriddenBy && (
                    <div className="muted">
                      {vi
                        ? `thay bằng ${m.overriddenBy} (trang quản trị)`
                        : `overridden by ${m.overriddenBy} (console)`}
                    </div>
                  )}
                </td>
                <td>
                  <span className="badge">{vi ? 'từ tệp cấu hình' : 'from the configuration file'}</span>
                </td>
                <td>{when(m.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
