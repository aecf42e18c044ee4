import { Inject, Injectable } from '@nestjs/common';
import { LgspAdapter, validateLgspConfig, type LgspRestPort } from '@isohub/adapters/lgsp';
import { PortalAdapter, validatePortalConfig, type PortalPort } from '@isohub/adapters/portal';
import type { ForwardStyle } from '@isohub/persistence';
import { SYNC_CONFIG, type SenderConfig, type SyncServiceConfig } from '../config/sync-service.config';

export interface ThanhHoaUrls {
  createUrl: string;
  updateUrl: string;
  progressUrl: string;
}

/**
 * The upstream of each sender in takeover mode, as that sender: its own portal account, its own LGSP client,
 * its own Thanh Hóa URLs (docs/tee.md). Never one shared account: the portal then sees which sender and
 * agency each dossier came from, and one stale session does not stop every sender. Built once per sender.
 */
@Injectable()
export class TakeoverUpstreams {
  private readonly portals = new Map<string, PortalPort>();
  private readonly buses = new Map<string, LgspRestPort>();

  constructor(@Inject(SYNC_CONFIG) private readonly config: SyncServiceConfig) {}

  /** Takeover senders isohub can deliver for (their upstream is configured). */
  senders(): SenderConfig[] {
    return this.config.senders.filter((s) => s.mode === 'takeover' && this.configured(s));
  }

  styles(): ForwardStyle[] {
    return [...new Set(this.senders().map((s) => s.style))];
  }

  /** The takeover sender `id` when isohub can deliver for it; else null. */
  sender(id: string): SenderConfig | null {
    return this.senders().find((s) => s.id === id) ?? null;
  }

  portal(sender: SenderConfig): PortalPort {
    let portal = this.portals.get(sender.id);
    if (!portal) {
      const account = sender.upstreamAccount as { username: string; password: string };
      portal = new PortalAdapter(
        validatePortalConfig({
          baseUrl: sender.upstream.baseUrl ?? this.config.portal.baseUrl,
          authPath: this.config.portal.authPath,
          integrationPath: this.config.portal.integrationPath,
          username: account.username,
          password: account.password,
          timeoutMs: this.config.portal.timeoutMs,
        }),
      );
      this.portals.set(sender.id, portal);
    }
    return portal;
  }

  /** Thanh Hóa URLs carry no account: a portal adapter for posting to them (its login is never used). */
  thanhHoa(sender: SenderConfig): { portal: PortalPort; urls: ThanhHoaUrls } {
    const urls = sender.upstream as ThanhHoaUrls;
    let portal = this.portals.get(sender.id);
    if (!portal) {
      portal = new PortalAdapter(
        validatePortalConfig({
          baseUrl: new URL(urls.createUrl).origin,
          username: sender.id,
          password: 'unused: Thanh Hóa URLs take no login',
          timeoutMs: this.config.portal.timeoutMs,
        }),
      );
      this.portals.set(sender.id, portal);
    }
    return { portal, urls };
  }

  bus(sender: SenderConfig): LgspRestPort {
    let bus = this.buses.get(sender.id);
    if (!bus) {
      const client = sender.upstreamClient as { clientId: string; clientSecret: string };
      const baseUrl = sender.upstream.baseUrl ?? this.config.teeUpstream.lgspBaseUrl ?? '';
      bus = new LgspAdapter(
        validateLgspConfig({
          baseUrl,
          tokenUrl:
            sender.upstream.tokenUrl ??
            (sender.upstream.baseUrl ? undefined : (this.config.teeUpstream.lgspTokenUrl ?? undefined)),
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          timeoutMs: this.config.teeUpstream.timeoutMs,
        }),
      );
      this.buses.set(sender.id, bus);
    }
    return bus;
  }

  private configured(s: SenderConfig): boolean {
    switch (s.style) {
      case 'opencps':
        return Boolean((s.upstream.baseUrl ?? this.config.portal.baseUrl) && s.upstreamAccount);
      case 'thanhhoa':
        return Boolean(s.upstream.createUrl && s.upstream.updateUrl && s.upstream.progressUrl);
      case 'lgsp':
        return Boolean((s.upstream.baseUrl ?? this.config.teeUpstream.lgspBaseUrl) && s.upstreamClient);
    }
  }
}
