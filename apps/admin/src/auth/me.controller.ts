import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@isohub/auth';
import { MeDto } from './auth.dto';

@ApiTags('auth')
@Controller('api')
export class MeController {
  @Get('me')
  @ApiOperation({ summary: 'Người dùng hiện tại / The caller: subject, name, roles, agencies' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): MeDto {
    return { sub: user.sub, name: user.name, roles: user.roles, agencies: user.agencies, via: user.via };
  }
}
