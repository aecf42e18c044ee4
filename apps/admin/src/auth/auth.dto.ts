import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@isohub/auth';

export class CsrfTokenDto {
  @ApiProperty({ description: 'send as the X-CSRF-Token header (or _csrf form field)' })
  csrfToken!: string;
}

export class MeDto {
  @ApiProperty({ description: 'SSO subject (the client id for automation tokens)' })
  sub!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];

  @ApiProperty({
    type: [String],
    description: 'agencies the user may edit; `*` = all (admins edit all whatever this says)',
  })
  agencies!: string[];

  @ApiProperty({ enum: ['session', 'bearer'] })
  via!: 'session' | 'bearer';
}
