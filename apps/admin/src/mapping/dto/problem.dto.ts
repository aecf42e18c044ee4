import { ApiProperty } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'JSON pointer of the field at fault', example: '/steps/1/allowanceHours' })
  field!: string;

  @ApiProperty({ example: 'required' })
  code!: string;

  @ApiProperty({ example: 'is required' })
  message!: string;
}

/** RFC 9457 body of every error (application/problem+json). */
export class ProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Unprocessable content' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ type: [FieldErrorDto] })
  errors!: FieldErrorDto[];

  @ApiProperty({ required: false, description: 'on 500 only; also in the server log' })
  errorId?: string;
}
