-- The view contract of docs/procapita.md as tables, for the SQL Server tests only. In a customer's
-- database a DBA creates these names as views over ProCapita's own tables, with these columns and types.
CREATE SCHEMA integration
GO
CREATE TABLE integration.pc_school (
  school_id nvarchar(50) NOT NULL, school_form nvarchar(20) NOT NULL, school_name nvarchar(200) NULL,
  start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_student (
  student_id nvarchar(50) NOT NULL, national_id nvarchar(13) NULL, first_name nvarchar(100) NULL,
  last_name nvarchar(100) NULL, email nvarchar(320) NULL, protected_identity bit NOT NULL,
  protected_address bit NOT NULL, deregistered bit NOT NULL, deceased bit NOT NULL)
GO
CREATE TABLE integration.pc_class_placement (
  student_id nvarchar(50) NOT NULL, class_id nvarchar(50) NOT NULL, start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_staff (
  staff_id nvarchar(50) NOT NULL, national_id nvarchar(13) NULL, first_name nvarchar(100) NULL,
  last_name nvarchar(100) NULL, email nvarchar(320) NULL, protected_identity bit NOT NULL,
  protected_address bit NOT NULL, deceased bit NOT NULL)
GO
CREATE TABLE integration.pc_employment (staff_id nvarchar(50) NOT NULL, school_id nvarchar(50) NOT NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_class (
  class_id nvarchar(50) NOT NULL, school_id nvarchar(50) NOT NULL, class_name nvarchar(100) NULL,
  start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_class_teacher (class_id nvarchar(50) NOT NULL, staff_id nvarchar(50) NOT NULL)
GO
CREATE TABLE integration.pc_group (
  group_id nvarchar(50) NOT NULL, school_id nvarchar(50) NOT NULL, group_name nvarchar(100) NULL,
  start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_group_member (
  group_id nvarchar(50) NOT NULL, student_id nvarchar(50) NOT NULL, start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_activity (
  activity_id nvarchar(50) NOT NULL, school_id nvarchar(50) NOT NULL, activity_name nvarchar(200) NULL,
  other_text nvarchar(max) NULL, start_date date NULL, end_date date NULL)
GO
CREATE TABLE integration.pc_activity_link (activity_id nvarchar(50) NOT NULL, class_id nvarchar(50) NULL, group_id nvarchar(50) NULL)
GO
CREATE TABLE integration.pc_activity_staff (activity_id nvarchar(50) NOT NULL, staff_id nvarchar(50) NOT NULL)
